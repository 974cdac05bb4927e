import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

// The outbox worker sends every due row it finds, so this file has a database of its own
// (SQLite, or PostgreSQL when TEST_DATABASE_URL names one). Links in mail use NEXTAUTH_URL.
const own = await vi.hoisted(async () => {
  process.env.NEXTAUTH_URL = "https://keys.example.test";
  return (await import("../fixtures/own-database")).useOwnDatabase("mail-outbox");
});

import { startBackgroundJobs } from "@/lib/background-jobs";
import { db } from "@/lib/db";
import { REMINDER_LEASE } from "@/lib/notifications/key-expiry-reminders";
import { enqueueMail } from "@/lib/mail/enqueue-mail";
import { deliverDueMail, MAX_ATTEMPTS, retryDelayMs } from "@/lib/mail/outbox";
import { createMailTransport } from "@/lib/mail/transport";
import { migrateDatabase } from "@/scripts/migrate-database";
import { freePort } from "../scale/instances";
import { linkIn, startSmtpSink } from "../fixtures/smtp-sink";

const FROM = "Keyport Test <portal@example.test>";
const token = "tok_0123456789abcdefSECRET";
const content = (subject: string) => ({
  subject,
  heading: "Verify your email address",
  paragraphs: ["Confirm it is yours."],
  action: { label: "Verify", url: `/verify-email?token=${token}` },
});

beforeAll(async () => {
  await migrateDatabase(own.url);
});

// Each test starts with an empty outbox (this database is the file's own).
afterEach(async () => {
  await db.outboxMessage.deleteMany({});
});

afterAll(async () => {
  await db.$disconnect();
  await own.drop();
});

/** A clock the test moves by hand, starting just after every row queued so far. */
function clock(start = new Date(Date.now() + 1_000)) {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

async function row(id: string) {
  return db.outboxMessage.findUniqueOrThrow({ where: { id } });
}

describe("mail transport", () => {
  it("SMTP: a queued message arrives with a text part, an HTML part, MAIL_FROM, the portal's name and NEXTAUTH_URL links", async () => {
    const sink = await startSmtpSink();
    const transport = createMailTransport({ smtpUrl: sink.url.replace("smtp://", "smtp://user:pass@"), from: FROM, dir: "unused" });
    try {
      const { id } = await enqueueMail(db, "ada@example.test", "verify_email", content("Check the parts"));
      expect(await deliverDueMail({ transport })).toMatchObject({ sent: 1, failed: 0 });
      const mail = await sink.waitForMail({ to: "ada@example.test", subject: "Check the parts" });
      expect(mail.subject).toBe("Check the parts · Keyport");
      expect(mail.from).toBe("portal@example.test");
      expect(mail.raw).toMatch(/^From: Keyport Test <portal@example\.test>/m);
      expect(mail.raw).toMatch(/Content-Type: text\/plain/);
      expect(mail.raw).toMatch(/Content-Type: text\/html/);
      expect(mail.text).toContain("— Keyport");
      expect(mail.html).toContain("Keyport");
      expect(linkIn(mail, "/verify-email")).toBe(`https://keys.example.test/verify-email?token=${token}`);
      expect(mail.html).toContain(`https://keys.example.test/verify-email?token=${token}`);
      // Sent: the body (which held a single-use link) is gone from the database.
      const sent = await row(id);
      expect(sent.sentAt).toBeInstanceOf(Date);
      expect(sent.text).toBe("");
      expect(sent.html).toBe("");
    } finally {
      transport.close();
      await sink.close();
    }
  });

  it("without SMTP_URL: an .eml file (0600 in a 0700 folder) and one log line naming the file and recipient, never the link", async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "keyport-mail-")), "mail");
    const lines: string[] = [];
    const transport = createMailTransport({ from: FROM, dir, log: (line) => lines.push(line) });
    await transport.send({ to: "bob@example.test", kind: "verify_email", subject: "Files", text: `Open https://x.test/v?token=${token}`, html: `<a href="https://x.test/v?token=${token}">v</a>` });
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const file = path.join(dir, files[0]!);
    expect(file.endsWith(".eml")).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const eml = readFileSync(file, "utf8");
    expect(eml).toMatch(/^From: Keyport Test <portal@example\.test>$/m);
    expect(eml).toMatch(/^To: bob@example\.test$/m);
    expect(eml).toContain("multipart/alternative");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toContain("bob@example.test");
    expect(lines[0]).not.toContain(token);
    expect(lines[0]).not.toContain("https://");
  });
});

describe("outbox worker", () => {
  it("a mail server that is down: the enqueue succeeds, retries follow the backoff by the clock, and the message arrives once the server is up", async () => {
    const port = await freePort();
    const transport = createMailTransport({ smtpUrl: `smtp://user:hunter2@127.0.0.1:${port}`, from: FROM, dir: "unused" });
    const { id } = await enqueueMail(db, "down@example.test", "verify_email", content("Down then up"));
    const time = clock();

    expect(await deliverDueMail({ transport, now: time.now })).toMatchObject({ sent: 0, failed: 1 });
    let state = await row(id);
    expect(state.attempts).toBe(1);
    expect(state.nextAttemptAt.getTime()).toBe(time.now().getTime() + retryDelayMs(1));
    expect(state.lastError).toMatch(/ECONNREFUSED/);
    expect(state.lastError).not.toContain("hunter2");
    expect(state.text).toContain(token); // kept for the retry

    // Before the backoff has passed, the message is left alone.
    time.advance(retryDelayMs(1) - 1_000);
    expect(await deliverDueMail({ transport, now: time.now })).toMatchObject({ sent: 0, failed: 0 });
    expect((await row(id)).attempts).toBe(1);

    time.advance(1_000);
    expect(await deliverDueMail({ transport, now: time.now })).toMatchObject({ failed: 1 });
    state = await row(id);
    expect(state.attempts).toBe(2);
    expect(state.nextAttemptAt.getTime()).toBe(time.now().getTime() + retryDelayMs(2));
    expect(retryDelayMs(2)).toBe(2 * retryDelayMs(1));

    const sink = await startSmtpSink({ port });
    try {
      time.advance(retryDelayMs(2));
      expect(await deliverDueMail({ transport, now: time.now })).toMatchObject({ sent: 1, failed: 0 });
      await sink.waitForMail({ to: "down@example.test", subject: "Down then up" });
      state = await row(id);
      expect(state.sentAt).toBeInstanceOf(Date);
      expect(state.lastError).toBeNull();
      expect(sink.messages.filter((mail) => mail.subject.startsWith("Down then up"))).toHaveLength(1);
    } finally {
      transport.close();
      await sink.close();
    }
  });

  it(`a message is given up on after ${MAX_ATTEMPTS} attempts: failedAt set, body erased, the error kept without credentials`, async () => {
    const port = await freePort();
    const transport = createMailTransport({ smtpUrl: `smtp://user:hunter2@127.0.0.1:${port}`, from: FROM, dir: "unused" });
    const { id } = await enqueueMail(db, "never@example.test", "verify_email", content("Never"));
    const time = clock();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const run = await deliverDueMail({ transport, now: time.now });
      expect(run.failed).toBe(1);
      expect(run.gaveUp).toBe(attempt === MAX_ATTEMPTS ? 1 : 0);
      time.advance(retryDelayMs(attempt));
    }
    const state = await row(id);
    expect(state.attempts).toBe(MAX_ATTEMPTS);
    expect(state.failedAt).toBeInstanceOf(Date);
    expect(state.text).toBe("");
    expect(state.lastError).not.toContain("hunter2");
    // Nothing more is tried, however late.
    time.advance(30 * 86_400_000);
    expect(await deliverDueMail({ transport, now: time.now })).toMatchObject({ sent: 0, failed: 0 });
    transport.close();
  });

  it("two workers on one database deliver each of 30 messages exactly once", async () => {
    const sink = await startSmtpSink();
    const [one, two] = [0, 1].map(() => createMailTransport({ smtpUrl: sink.url, from: FROM, dir: "unused" }));
    try {
      const subjects = Array.from({ length: 30 }, (_, i) => `Race ${String(i).padStart(2, "0")}`);
      for (const subject of subjects) await enqueueMail(db, "race@example.test", "test", content(subject));
      let sent = 0;
      for (let round = 0; round < 10 && sent < 30; round++) {
        const runs = await Promise.all([deliverDueMail({ transport: one!, batch: 7 }), deliverDueMail({ transport: two!, batch: 7 })]);
        expect(runs.every((run) => run.failed === 0)).toBe(true);
        sent += runs[0]!.sent + runs[1]!.sent;
      }
      expect(sent).toBe(30);
      const received = sink.messages.filter((mail) => mail.to.includes("race@example.test")).map((mail) => mail.subject.replace(" · Keyport", ""));
      expect(received.sort()).toEqual(subjects);
      expect(await db.outboxMessage.count({ where: { to: "race@example.test", sentAt: null } })).toBe(0);
    } finally {
      one!.close();
      two!.close();
      await sink.close();
    }
  });

  it("a claim by a worker that died runs out and another worker sends the message", async () => {
    const sink = await startSmtpSink();
    const transport = createMailTransport({ smtpUrl: sink.url, from: FROM, dir: "unused" });
    try {
      const time = clock(new Date(Date.now() + 1_000));
      const { id } = await enqueueMail(db, "claimed@example.test", "test", content("Claimed"));
      // A worker claimed it and vanished before sending.
      await db.outboxMessage.update({ where: { id }, data: { lockedUntil: new Date(time.now().getTime() + 60_000), attempts: 1 } });
      expect(await deliverDueMail({ transport, now: time.now })).toMatchObject({ sent: 0 });
      time.advance(60_000);
      expect(await deliverDueMail({ transport, now: time.now })).toMatchObject({ sent: 1 });
      await sink.waitForMail({ to: "claimed@example.test" });
    } finally {
      transport.close();
      await sink.close();
    }
  });
});

describe("the server's background jobs", () => {
  it("a pass sends queued mail and takes the reminder lease; a failed delivery is reported in one line without content; stop releases the lease", async () => {
    const port = await freePort();
    const lines: string[] = [];
    const jobs = startBackgroundJobs({
      // Never fires by itself in this test: passes run when the test asks.
      intervalMs: 3_600_000,
      transport: createMailTransport({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, dir: "unused" }),
      holder: "jobs-test",
      now: () => new Date(Date.now() + 1_000),
      report: (line) => lines.push(line),
    });
    const { id } = await enqueueMail(db, "jobs@example.test", "verify_email", content("Jobs"));
    await jobs.runOnce();
    expect(lines).toEqual(["[keyport] mail: 1 message(s) could not be sent and will be retried"]);
    expect((await row(id)).attempts).toBe(1);
    expect(await db.lease.findUnique({ where: { name: REMINDER_LEASE } })).toMatchObject({ holder: "jobs-test" });
    await jobs.stop();
    expect(await db.lease.findUnique({ where: { name: REMINDER_LEASE } })).toBeNull();
  });

  it("two passes asked for at once run as one", async () => {
    const sink = await startSmtpSink();
    const jobs = startBackgroundJobs({ intervalMs: 3_600_000, transport: createMailTransport({ smtpUrl: sink.url, from: FROM, dir: "unused" }), holder: "jobs-test-2", now: () => new Date(Date.now() + 1_000) });
    try {
      await enqueueMail(db, "once@example.test", "verify_email", content("Once"));
      const [first, second] = [jobs.runOnce(), jobs.runOnce()];
      expect(first).toBe(second);
      await first;
      await sink.waitForMail({ to: "once@example.test" });
      expect(sink.messages).toHaveLength(1);
    } finally {
      await jobs.stop();
      await sink.close();
    }
  });
});
