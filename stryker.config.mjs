// Mutation testing of the key policy and the API layer (npm run test:mutation): Stryker
// changes the code in small ways (a < for a <=, a dropped condition) and reruns the tests
// that cover each change; a change no test notices is a rule no test protects.
// Not part of npm test: it reruns the suite many times. The score is in the README.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.mts" },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: [
    "lib/api-keys/**/*.ts",
    "lib/api/**/*.ts",
    // Wiring that only a running server or Redis exercises (the scale suite covers it).
    "!lib/api-keys/invalidation-broadcast.ts",
    // Documentation text for the OpenAPI generator, not behaviour.
    "!lib/api/openapi.ts",
  ],
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 30_000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 90, low: 80, break: 80 },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  ignoreStatic: true,
};
