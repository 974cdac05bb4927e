import { existsSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { testDatabaseUrl } from "./tests/helpers/test-database-url.mts";

const port = Number(process.env.E2E_PORT ?? 3200);
export const baseURL = `http://127.0.0.1:${port}`;

// The run's database, chosen once here: the main process sets it before the workers start,
// and they inherit it, so the setup project can promote the admin through the CLI against
// the very database the server uses (ADMIN_EMAILS no longer promotes anyone at sign-up).
process.env.E2E_DATABASE_URL ??= testDatabaseUrl(() => `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "keyport-e2e-")), "e2e.db")}`);

// The SMTP server the e2e server starts (a real one, nodemailer's smtp-server): the app sends
// to it over SMTP and it writes each message into this folder for the tests to read.
process.env.E2E_MAILBOX_DIR ??= mkdtempSync(path.join(os.tmpdir(), "keyport-e2e-mail-"));
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? port + 25);

// Debian's Chromium where it is installed (these machines cannot download Playwright's);
// Playwright's own browser everywhere else.
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((file) => existsSync(file));

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/e2e",
  fullyParallel: true,
  workers: 2,
  // On CI a failed test runs once more, so one timing hiccup on a busy 2-core machine does not
  // hold back a landing; Playwright still reports it as flaky, and a flaky test is a bug to fix.
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: systemChromium
      ? {
          executablePath: systemChromium,
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        }
      : {},
  },
  projects: [
    { name: "setup", testMatch: /global\.setup\.ts/ },
    { name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined }, dependencies: ["setup"] },
  ],
  webServer: {
    command: "npx tsx scripts/e2e-server.ts",
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      E2E_PORT: String(port),
      NEXTAUTH_URL: baseURL,
      NEXTAUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-secret",
      BCRYPT_COST: "4",
      E2E_DATABASE_URL: process.env.E2E_DATABASE_URL,
      E2E_MAILBOX_DIR: process.env.E2E_MAILBOX_DIR,
      E2E_SMTP_PORT: String(smtpPort),
      SMTP_URL: `smtp://e2e:e2e@127.0.0.1:${smtpPort}`,
      MAIL_FROM: "Keyport E2E <keyport@e2e.test>",
      JOBS_INTERVAL_MS: "250",
      // Named here so the browser tests prove that ADMIN_EMAILS does not promote an address at sign-up.
      ADMIN_EMAILS: "admin@e2e.test,boss@example.com",
      // Every browser test signs up from 127.0.0.1; the per-IP limit has its own integration test.
      SIGN_UPS_PER_IP_PER_HOUR: "100000",
      ROLL_GRACE_CHOICES: "0,5s,1h,24h,7d",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
