import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";

// A SQLite file of this test's own, shared by this process (which queues the mail) and the
// server (whose background jobs send it).
const databaseUrl = await vi.hoisted(async () => (await import("../fixtures/fresh-database")).useFreshDatabase("mail-files-server"));

import { db } from "@/lib/db";
import { enqueueMail } from "@/lib/mail/enqueue-mail";
import { migrateDatabase } from "@/scripts/migrate-database";
import { requireProductionBuild } from "../fixtures/production-build";
import { startServerProcess } from "../fixtures/server-process";
import { waitFor } from "../scale/instances";

requireProductionBuild("/api/health/route");

beforeAll(async () => {
  await migrateDatabase(databaseUrl);
});

describe("mail without SMTP_URL, in a running server", () => {
  it("the server's worker writes queued mail as a private .eml file and logs one line naming the file and the recipient, never the link's token", async () => {
    const mailDir = path.join(mkdtempSync(path.join(os.tmpdir(), "keyport-server-mail-")), "mail");
    const server = await startServerProcess({ DATABASE_URL: databaseUrl, SMTP_URL: "", MAIL_DIR: mailDir, JOBS_INTERVAL_MS: "200" });
    const token = "reset_TOKEN_9f8e7d6c5b4a39281706";
    const { id } = await enqueueMail(db, "operator@example.test", "reset_password", {
      subject: "Reset your password",
      heading: "Reset your password",
      paragraphs: ["Someone asked to reset the password of this account."],
      action: { label: "Choose a new password", url: `/reset-password/open?token=${token}` },
    });
    await waitFor(async () => (await db.outboxMessage.findUniqueOrThrow({ where: { id } })).sentAt !== null, 20_000, "the server to send the message");
    const { code } = await server.stop();
    expect(code).toBe(0);

    const files = readdirSync(mailDir);
    expect(files).toHaveLength(1);
    const file = path.join(mailDir, files[0]!);
    expect(statSync(mailDir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The file is the message: an operator opens it with any mail client to follow the link.
    expect(readFileSync(file, "utf8")).toContain(token);

    const mailLines = server.logs.filter((line) => line.includes("mail:"));
    expect(mailLines).toHaveLength(1);
    expect(mailLines[0]).toContain(file);
    expect(mailLines[0]).toContain("operator@example.test");
    expect(server.logs.join("\n")).not.toContain(token);
    // Sent: the link is gone from the database too.
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id } })).text).toBe("");
  });
});
