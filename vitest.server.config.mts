import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

// tests/server: files that start a real `npm start` server from the production build in
// .next (npm run test:e2e builds it first when the sources changed). They fail, not skip,
// when that build is missing or older than the sources (tests/fixtures/production-build.ts).
// (Spread, not mergeConfig: that would add these files to the base list instead of replacing it.)
export default defineConfig({ ...base, test: { ...base.test, include: ["tests/server/**/*.test.ts"] } });
