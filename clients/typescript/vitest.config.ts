import { defineConfig } from "vitest/config";

// The package's own tests: the client against small HTTP servers started in the test.
// The tests against a running Keyport live in the repository's tests/server.
export default defineConfig({ test: { include: ["test/**/*.test.ts"], testTimeout: 20_000 } });
