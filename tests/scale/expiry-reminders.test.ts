import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { REMINDER_LEASE } from "@/lib/notifications/key-expiry-reminders";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { createTestKey, createTestUser } from "../helpers/factories";
import { type Instance, startInstance, waitFor } from "./instances";

// Two instances on one PostgreSQL database, both running the background jobs every 200 ms
// and delivering to one SMTP server: each reminder must arrive exactly once, also when the
// instance doing the work stops and another takes over.
const DAY = 86_400_000;
let sink: SmtpSink;
let env: Record<string, string>;
const instances: Instance[] = [];

beforeAll(async () => {
  sink = await startSmtpSink();
  env = {
    DATABASE_URL: process.env.DATABASE_URL!,
    REDIS_URL: process.env.SCALE_REDIS_URL!,
    SMTP_URL: sink.url,
    MAIL_FROM: "Keyport Scale <keyport@scale.test>",
    JOBS_INTERVAL_MS: "200",
  };
});

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await sink?.close();
});

/** Resolves once the reminder lease has been renewed `runs` more times (each renewal is one run of the job). */
async function jobRuns(runs: number) {
  const seen = new Set<number>();
  await waitFor(
    async () => {
      const lease = await db.lease.findUnique({ where: { name: REMINDER_LEASE } });
      if (lease) seen.add(lease.expiresAt.getTime());
      return seen.size > runs;
    },
    30_000,
    `${runs} runs of the reminder job`,
  );
}

function remindersTo(email: string) {
  return sink.messages.filter((mail) => mail.to.includes(email) && mail.subject.includes("expires within"));
}

describe("key-expiry reminders with two instances", () => {
  it("each reminder is sent exactly once, through many runs and a hand-over from one instance to another", async () => {
    const first = await createTestUser();
    const firstKey = await createTestKey(first.id, { name: "nightly export", expiresAt: new Date(Date.now() + 3 * DAY) });

    const [a, b] = await Promise.all([startInstance("A", env), startInstance("B", env)]);
    instances.push(a, b);
    const mail = await sink.waitForMail({ to: first.email, subject: "expires within 7 days" }, 30_000);
    expect(mail.raw).not.toContain(firstKey.secret);
    await jobRuns(10);

    // A key that starts expiring while both run.
    const second = await createTestUser();
    await createTestKey(second.id, { expiresAt: new Date(Date.now() + 5 * DAY) });
    await sink.waitForMail({ to: second.email, subject: "expires within 7 days" }, 30_000);

    // One instance stops (a deploy): the other, or a restarted one, goes on without repeating anything.
    await a.stop();
    await jobRuns(5);
    const c = await startInstance("C", env);
    instances.push(c);
    await jobRuns(5);

    expect(remindersTo(first.email)).toHaveLength(1);
    expect(remindersTo(second.email)).toHaveLength(1);
    expect(await db.notification.count({ where: { userId: { in: [first.id, second.id] }, kind: "key_expiring" } })).toBe(2);
    expect(await db.outboxMessage.count({ where: { to: { in: [first.email, second.email] }, sentAt: null } })).toBe(0);
  });
});
