import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startCli } from "../fixtures/cli";
import { startSmtpSink } from "../fixtures/smtp-sink";
import { freePort } from "../scale/instances";

// `keyport mail test` sends straight through the transport and says whether it worked.
const keyport = (args: string[], env: Record<string, string>) => startCli(process.env.DATABASE_URL!, args, { env }).done;

describe("npm run keyport -- mail test", { timeout: 60_000 }, () => {
  it("delivers a test message to a real SMTP server at once and says so, without the URL's credentials", async () => {
    const sink = await startSmtpSink();
    try {
      const run = await keyport(["mail", "test", "ops@example.test"], { SMTP_URL: sink.url.replace("smtp://", "smtp://mailer:s3cret-pass@"), MAIL_FROM: "Ops <ops-from@example.test>" });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Sent: ops@example\.test via SMTP/);
      const mail = await sink.waitForMail({ to: "ops@example.test", subject: "Test message" });
      expect(mail.from).toBe("ops-from@example.test");
      expect(mail.text).toContain(`through smtp://127.0.0.1:${sink.port}`);
      expect(mail.raw).not.toContain("s3cret-pass");
    } finally {
      await sink.close();
    }
  });

  it("a mail server that is down: exit 1 and one line saying the message was not delivered, without credentials", async () => {
    const port = await freePort();
    const run = await keyport(["mail", "test", "ops@example.test"], { SMTP_URL: `smtp://mailer:s3cret-pass@127.0.0.1:${port}` });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain(`error: The test message was not delivered through smtp://127.0.0.1:${port}`);
    expect(run.stderr).toContain("ECONNREFUSED");
    expect(run.stderr).not.toContain("s3cret-pass");
  });

  it("without SMTP_URL it writes the .eml file and names it; a bad address is refused", async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "keyport-cli-mail-")), "mail");
    const run = await keyport(["mail", "test", "ops@example.test"], { SMTP_URL: "", MAIL_DIR: dir });
    expect(run.code).toBe(0);
    const [file] = readdirSync(dir);
    expect(run.stdout).toContain(path.join(dir, file!));
    const bad = await keyport(["mail", "test", "not-an-address"], { SMTP_URL: "", MAIL_DIR: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("That is not an email address.");
  });
});
