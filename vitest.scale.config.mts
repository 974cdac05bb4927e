import path from "node:path";
import { defineConfig } from "vitest/config";
import { testDatabaseUrl } from "./tests/helpers/test-database-url.mts";

// The scale-out suite: real `next start` instances on PostgreSQL and Redis. Run through
// `npm run test:scale`, which creates and drops the database; needs a prior `next build`.
const databaseUrl = testDatabaseUrl(() => {
  throw new Error("TEST_DATABASE_URL must name a local PostgreSQL database (npm run test:scale sets it)");
});
process.env.KEYPORT_TEST_DATABASE_URL = databaseUrl;

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: ["tests/scale/**/*.test.ts"],
    pool: "forks",
    fileParallelism: false,
    globalSetup: ["tests/helpers/global-setup.ts"],
    env: {
      DATABASE_URL: databaseUrl,
      NODE_ENV: "test",
      BCRYPT_COST: "4",
      SCALE_REDIS_URL: process.env.SCALE_REDIS_URL ?? "redis://127.0.0.1:6379",
      REDIS_URL: process.env.SCALE_REDIS_URL ?? "redis://127.0.0.1:6379",
      NEXTAUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
