// Mutation testing of the key policy and the API layer's guard (npm run test:mutation): Stryker
// changes the code in small ways (a < for a <=, a dropped condition) and reruns the tests
// that cover each change; a change no test notices is a rule no test protects.
// Not part of npm test: it reruns the suite many times. The score is in the README.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.mts" },
  plugins: ["@stryker-mutator/vitest-runner"],
  // The key policy and what carries it to every caller: state, grants, refusals, the
  // verification path and its cache, key parsing, and the API's guard and error mapping.
  mutate: [
    "lib/api-keys/key-policy.ts",
    "lib/api-keys/refusals.ts",
    "lib/api-keys/change-key.ts",
    "lib/api-keys/verify-api-key.ts",
    "lib/api-keys/verification-cache.ts",
    "lib/api-keys/key-format.ts",
    "lib/api-keys/ip-allowlist.ts",
    "lib/api-keys/scopes.ts",
    "lib/api-keys/create-api-key.ts",
    "lib/api-keys/update-api-key.ts",
    "lib/api-keys/roll-api-key.ts",
    "lib/api-keys/revoke-api-key.ts",
    "lib/api/errors.ts",
    "lib/api/with-api-key.ts",
    "lib/api/read-presented-key.ts",
  ],
  // What the sandbox copy leaves out: builds, test output and data (they change while other
  // runs work in the same tree, and no test here reads them).
  ignorePatterns: [".next", "test-results", "playwright-report", "blob-report", "data", "dist", "reports", "bench/.work", ".git"],
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 30_000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 90, low: 80, break: 80 },
  // Reruns only the mutants whose code or tests changed since the last run.
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  ignoreStatic: true,
};
