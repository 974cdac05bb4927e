// Starts the built app for the browser suite: a fresh database of the run's own
// (SQLite in a temp folder, or TEST_DATABASE_URL), migrated, then `next start`.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startSmtpSink } from "../tests/fixtures/smtp-sink";
import { testDatabaseUrl } from "../tests/helpers/test-database-url.mts";
import { migrateDatabase } from "./migrate-database";

const port = process.env.E2E_PORT ?? "3200";
// playwright.config.ts chooses the database (the setup project uses it through the CLI too).
const databaseUrl = testDatabaseUrl(() => process.env.E2E_DATABASE_URL || `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "keyport-e2e-")), "e2e.db")}`);

async function main() {
  // The mail server the app delivers to (SMTP_URL in playwright.config.ts); tests read the folder.
  if (process.env.E2E_SMTP_PORT && process.env.E2E_MAILBOX_DIR) {
    await startSmtpSink({ port: Number(process.env.E2E_SMTP_PORT), dir: process.env.E2E_MAILBOX_DIR });
  }
  await migrateDatabase(databaseUrl);
  const server = spawn(process.execPath, [path.join("scripts", "serve.mjs")], {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: port, HOSTNAME: "127.0.0.1", NODE_ENV: "production" },
  });
  const stop = () => server.kill("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
