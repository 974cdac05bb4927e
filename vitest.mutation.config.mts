import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

// The tests Stryker reruns for each mutant of the key policy (stryker.config.mjs): the
// unit suite and the integration files that exercise lib/api-keys and lib/api through
// their entry points. Files about other parts (the CLI's processes, the benchmark, the
// legacy import, sign-in) would only slow every mutant down.
// (Spread, not mergeConfig: that would add these files to the base list instead of replacing it.)
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      "tests/unit/**/*.test.ts",
      "tests/integration/key-policy-escalation.test.ts",
      "tests/integration/key-changes.test.ts",
      "tests/integration/key-state.property.test.ts",
      "tests/integration/revocation-exact.test.ts",
      "tests/integration/verify-api-key.test.ts",
      "tests/integration/api-v1-me.test.ts",
      "tests/integration/api-v1-keys.test.ts",
      "tests/integration/ip-allowlist.test.ts",
      "tests/integration/rate-limit.test.ts",
      "tests/integration/unknown-key-throttle.test.ts",
      "tests/integration/access-matrix.test.ts",
      "tests/integration/admin-keys.test.ts",
    ],
    env: { ...base.test?.env, KEYPORT_PROPERTY_RUNS: "10" },
  },
});
