import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.mts";

// The tests Stryker reruns for each mutant of lib/api-keys and lib/api: the unit and
// integration suites, without the files that exercise other parts (the CLI's processes,
// the benchmark, the legacy import) and would only slow every mutant down.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        "tests/integration/cli.test.ts",
        "tests/integration/bench-smoke.test.ts",
        "tests/integration/migrations.test.ts",
        "tests/integration/oauth-sign-in.test.ts",
        "tests/integration/no-secret-leaks.test.ts",
        "tests/integration/production-server.test.ts",
        "tests/integration/bounded-server.test.ts",
        "node_modules/**",
      ],
    },
  }),
);
