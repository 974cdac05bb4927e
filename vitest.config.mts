import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";
import { testDatabaseUrl } from "./tests/helpers/test-database-url.mts";

// Every run gets its own database: a fresh SQLite file by default, or the PostgreSQL
// database TEST_DATABASE_URL names (the scale-out suite creates and drops one per run).
const databaseUrl = testDatabaseUrl(() => `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "keyport-test-")), "test.db")}`);
// The config and globalSetup share the main process: this is how setup learns the URL.
process.env.KEYPORT_TEST_DATABASE_URL = databaseUrl;

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    pool: "forks",
    globalSetup: ["tests/helpers/global-setup.ts"],
    env: {
      DATABASE_URL: databaseUrl,
      NODE_ENV: "test",
      KEY_CACHE_TTL_MS: "5000",
      BCRYPT_COST: "4",
      NEXTAUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    },
    testTimeout: 20_000,
  },
});
