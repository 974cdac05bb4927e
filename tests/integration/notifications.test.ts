import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

// Reminders scan every key and the outbox worker sends every due row: this file has a
// database of its own (SQLite, or PostgreSQL when TEST_DATABASE_URL names one).
const own = await vi.hoisted(async () => {
  process.env.NEXTAUTH_URL = "https://keys.example.test";
  return (await import("../fixtures/own-database")).useOwnDatabase("notifications");
});

import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { db } from "@/lib/db";
import { reportLeakedTokens } from "@/lib/leaks/report-leaked-tokens";
import { deliverDueMail } from "@/lib/mail/outbox";
import { createMailTransport } from "@/lib/mail/transport";
import { REMINDER_LEASE, sendKeyReminders } from "@/lib/notifications/key-expiry-reminders";
import { notifyUser } from "@/lib/notifications/notify-user";
import { countUnreadNotifications, listNotifications, markAllNotificationsRead, markNotificationRead } from "@/lib/notifications/read-notifications";
import { createSession } from "@/lib/sessions/create-session";
import { migrateDatabase } from "@/scripts/migrate-database";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { createTestKey, createTestUser } from "../helpers/factories";

const DAY = 86_400_000;
const HOUR = 3_600_000;
let sink: SmtpSink;

beforeAll(async () => {
  await migrateDatabase(own.url);
  sink = await startSmtpSink();
});

afterEach(async () => {
  // Keys of earlier tests must not be reminded in later ones.
  await db.apiKey.updateMany({ where: { revokedAt: null }, data: { revokedAt: new Date() } });
  await db.lease.deleteMany({});
  await db.outboxMessage.deleteMany({});
});

afterAll(async () => {
  await sink?.close();
  await db.$disconnect();
  await own.drop();
});

/** Sends everything queued to the test's SMTP server, as the server's worker would. */
async function deliverAll(now = new Date(Date.now() + 1_000)) {
  const transport = createMailTransport({ smtpUrl: sink.url, from: "Keyport <keyport@example.test>", dir: "unused" });
  try {
    return await deliverDueMail({ transport, now: () => now, batch: 500 });
  } finally {
    transport.close();
  }
}

async function noticesOf(userId: string, kind?: string) {
  return db.notification.findMany({ where: { userId, ...(kind ? { kind } : {}) }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

function mailsTo(email: string) {
  return sink.messages.filter((mail) => mail.to.includes(email));
}

describe("notifyUser", () => {
  it("two transactions racing on one dedupeKey: both commit, one notice and one mail", async () => {
    const user = await createTestUser();
    const notice = { kind: "password_changed", title: "Password changed", body: "It was.", dedupeKey: `race:${user.id}`, mail: { subject: "Password changed", heading: "Password changed", paragraphs: ["It was."] } };
    const results = await Promise.all(
      [1, 2].map((n) =>
        db.$transaction(async (tx) => {
          const wrote = await notifyUser(tx, user.id, notice);
          // The caller's own write after the notice must still commit.
          await tx.auditEvent.create({ data: { action: "auth.password_changed", targetUserId: user.id, details: JSON.stringify({ n }) } });
          return wrote;
        }),
      ),
    );
    expect(results.sort()).toEqual([false, true]);
    expect(await noticesOf(user.id)).toHaveLength(1);
    expect(await db.outboxMessage.count({ where: { to: user.email } })).toBe(1);
    expect(await db.auditEvent.count({ where: { targetUserId: user.id, action: "auth.password_changed" } })).toBe(2);
  });

  it("an optional kind the user turned off is shown on the dashboard but not mailed; a security kind is always mailed", async () => {
    const user = await createTestUser();
    await db.user.update({ where: { id: user.id }, data: { notifyKeyExpiry: false } });
    const mail = { subject: "s", heading: "h", paragraphs: ["p"] };
    await notifyUser(db, user.id, { kind: "key_expiring", title: "t", body: "b", mail });
    await notifyUser(db, user.id, { kind: "two_factor_disabled", title: "t", body: "b", mail });
    expect((await noticesOf(user.id)).map((n) => n.kind).sort()).toEqual(["key_expiring", "two_factor_disabled"]);
    expect((await db.outboxMessage.findMany({ where: { to: user.email } })).map((m) => m.kind)).toEqual(["two_factor_disabled"]);
  });
});

describe("key expiry reminders", () => {
  it("7 days, then 1 day: each once, across two job runners, restarts and repeated runs", async () => {
    const user = await createTestUser();
    const t0 = new Date();
    const expiresAt = new Date(t0.getTime() + 6 * DAY + 12 * HOUR);
    const { key, secret } = await createTestKey(user.id, { name: "billing", expiresAt });
    const a = { holder: "instance-a", leaseMs: 60_000 };
    const b = { holder: "instance-b", leaseMs: 60_000 };

    expect(await sendKeyReminders({ ...a, now: t0 })).toEqual({ ran: true, notified: 1 });
    // The other instance finds the lease taken and does nothing.
    expect(await sendKeyReminders({ ...b, now: new Date(t0.getTime() + 1_000) })).toEqual({ ran: false, notified: 0 });
    // The holder's next runs find the notice sent.
    expect(await sendKeyReminders({ ...a, now: new Date(t0.getTime() + 30_000) })).toEqual({ ran: true, notified: 0 });
    // Instance A is gone (a restart): once its lease runs out, B takes over and sends nothing twice.
    expect(await sendKeyReminders({ ...b, now: new Date(t0.getTime() + 30_000 + 60_000) })).toEqual({ ran: true, notified: 0 });
    expect(await db.lease.findUnique({ where: { name: REMINDER_LEASE } })).toMatchObject({ holder: "instance-b" });

    // 23 hours before the expiry: the 1-day notice, once.
    const dayBefore = new Date(expiresAt.getTime() - 23 * HOUR);
    expect(await sendKeyReminders({ ...b, now: dayBefore })).toEqual({ ran: true, notified: 1 });
    expect(await sendKeyReminders({ ...b, now: new Date(dayBefore.getTime() + HOUR) })).toEqual({ ran: true, notified: 0 });
    // Expired: nothing more.
    expect(await sendKeyReminders({ ...b, now: new Date(expiresAt.getTime() + 1) })).toEqual({ ran: true, notified: 0 });

    const notices = await noticesOf(user.id, "key_expiring");
    expect(notices.map((n) => n.title)).toEqual(["Key “billing” (" + key.start + "…) expires within 7 days", "Key “billing” (" + key.start + "…) expires within 1 day"]);
    expect(notices.every((n) => n.href === `/dashboard/keys/${key.id}`)).toBe(true);

    await deliverAll();
    const mails = mailsTo(user.email);
    expect(mails.map((m) => m.subject)).toEqual(["Key “billing” expires within 7 days · Keyport", "Key “billing” expires within 1 day · Keyport"]);
    for (const mail of mails) {
      expect(mail.raw).not.toContain(secret);
      expect(mail.text).toContain(`https://keys.example.test/dashboard/keys/${key.id}`);
    }
  });

  it("window boundaries: exactly 7 days is reminded, a millisecond more is not; inside a day only the 1-day notice", async () => {
    const user = await createTestUser();
    const now = new Date(Date.now() + DAY);
    const at7 = await createTestKey(user.id, { name: "at-7d", expiresAt: new Date(now.getTime() + 7 * DAY) });
    await createTestKey(user.id, { name: "past-7d", expiresAt: new Date(now.getTime() + 7 * DAY + 1) });
    const at1 = await createTestKey(user.id, { name: "at-1d", expiresAt: new Date(now.getTime() + DAY) });
    await createTestKey(user.id, { name: "no-expiry" });
    expect(await sendKeyReminders({ holder: "x", leaseMs: 60_000, now })).toEqual({ ran: true, notified: 2 });
    const notices = await noticesOf(user.id, "key_expiring");
    expect(notices.map((n) => n.dedupeKey).sort()).toEqual(
      [`key_expiring:${at7.key.id}:7d:${at7.key.expiresAt!.toISOString()}:${user.id}`, `key_expiring:${at1.key.id}:1d:${at1.key.expiresAt!.toISOString()}:${user.id}`].sort(),
    );
  });

  it("a key whose expiry is changed is reminded again for the new date", async () => {
    const user = await createTestUser();
    const now = new Date(Date.now() + DAY);
    const { key } = await createTestKey(user.id, { expiresAt: new Date(now.getTime() + 5 * DAY) });
    expect((await sendKeyReminders({ holder: "x", leaseMs: 60_000, now })).notified).toBe(1);
    await db.apiKey.update({ where: { id: key.id }, data: { expiresAt: new Date(now.getTime() + 6 * DAY) } });
    expect((await sendKeyReminders({ holder: "x", leaseMs: 60_000, now })).notified).toBe(1);
    expect((await sendKeyReminders({ holder: "x", leaseMs: 60_000, now })).notified).toBe(0);
  });

  it("a roll's grace ending within 24 hours is reminded once; revoked keys are not reminded", async () => {
    const user = await createTestUser();
    const now = new Date(Date.now() + DAY);
    const rolled = await createTestKey(user.id, { name: "rolled" });
    await db.apiKey.update({ where: { id: rolled.key.id }, data: { graceEndsAt: new Date(now.getTime() + 20 * HOUR) } });
    const revoked = await createTestKey(user.id, { name: "revoked", expiresAt: new Date(now.getTime() + 2 * DAY) });
    await revokeApiKey({ keyId: revoked.key.id, ownerId: user.id }, { actorId: user.id });
    const first = await sendKeyReminders({ holder: "x", leaseMs: 60_000, now });
    const second = await sendKeyReminders({ holder: "x", leaseMs: 60_000, now: new Date(now.getTime() + HOUR) });
    expect([first.notified, second.notified]).toEqual([1, 0]);
    const [notice] = await noticesOf(user.id, "key_expiring");
    expect(notice!.title).toContain("stops working within 24 hours");
    expect(notice!.dedupeKey).toContain(`${rolled.key.id}:grace:`);
  });

  it("a team key reminds the team's owners and admins, not its developers or viewers", async () => {
    const [owner, admin, developer, viewer] = await Promise.all([createTestUser(), createTestUser(), createTestUser(), createTestUser()]);
    const team = await db.team.create({ data: { slug: `t-${owner.id.slice(-8)}`, name: "Payments" } });
    await db.teamMember.createMany({
      data: [
        { teamId: team.id, userId: owner.id, role: "owner" },
        { teamId: team.id, userId: admin.id, role: "admin" },
        { teamId: team.id, userId: developer.id, role: "developer" },
        { teamId: team.id, userId: viewer.id, role: "viewer" },
      ],
    });
    const now = new Date(Date.now() + DAY);
    const { key } = await createTestKey(developer.id, { expiresAt: new Date(now.getTime() + 3 * DAY) });
    await db.apiKey.update({ where: { id: key.id }, data: { teamId: team.id } });
    expect((await sendKeyReminders({ holder: "x", leaseMs: 60_000, now })).notified).toBe(2);
    expect(await noticesOf(owner.id)).toHaveLength(1);
    expect(await noticesOf(admin.id)).toHaveLength(1);
    expect(await noticesOf(developer.id)).toHaveLength(0);
    expect(await noticesOf(viewer.id)).toHaveLength(0);
  });

  it("a team admin an admin disabled hears nothing more of the team's keys: no reminder, no revocation notice", async () => {
    const [owner, frozen] = await Promise.all([createTestUser(), createTestUser()]);
    const team = await db.team.create({ data: { slug: `f-${owner.id.slice(-8)}`, name: "Frozen" } });
    await db.teamMember.createMany({ data: [{ teamId: team.id, userId: owner.id, role: "owner" }, { teamId: team.id, userId: frozen.id, role: "admin" }] });
    await db.user.update({ where: { id: frozen.id }, data: { disabledAt: new Date() } });
    const now = new Date(Date.now() + DAY);
    const { key } = await createTestKey(owner.id, { expiresAt: new Date(now.getTime() + 3 * DAY) });
    await db.apiKey.update({ where: { id: key.id }, data: { teamId: team.id } });
    expect((await sendKeyReminders({ holder: "x", leaseMs: 60_000, now })).notified).toBe(1);
    const siteAdmin = await createTestUser({ role: "ADMIN" });
    await revokeApiKey({ keyId: key.id, reason: "audit" }, { actorId: siteAdmin.id });
    expect(await noticesOf(owner.id)).toHaveLength(2);
    expect(await noticesOf(frozen.id)).toHaveLength(0);
    expect(await db.outboxMessage.count({ where: { to: frozen.email } })).toBe(0);
  });

  it("a run is bounded: with more keys than a page, every key is still reminded exactly once", async () => {
    const user = await createTestUser();
    const now = new Date(Date.now() + DAY);
    const base = await createTestKey(user.id, { name: "template", expiresAt: new Date(now.getTime() + 3 * DAY) });
    const template = await db.apiKey.findUniqueOrThrow({ where: { id: base.key.id } });
    await db.apiKey.createMany({
      data: Array.from({ length: 450 }, (_, i) => ({
        ownerId: user.id,
        name: `bulk ${i}`,
        environment: template.environment,
        scopes: template.scopes,
        keyHash: `bulk-${user.id}-${i}`,
        start: template.start,
        expiresAt: template.expiresAt,
      })),
    });
    const first = await sendKeyReminders({ holder: "x", leaseMs: 60_000, now });
    const second = await sendKeyReminders({ holder: "x", leaseMs: 60_000, now });
    expect([first.notified, second.notified]).toEqual([451, 0]);
    expect(await db.notification.count({ where: { userId: user.id } })).toBe(451);
  });
});

describe("revocation notices", () => {
  it("a key revoked by an admin: the owner is told the reason, on the dashboard and by mail, without the key's secret", async () => {
    const [owner, admin] = await Promise.all([createTestUser(), createTestUser({ role: "ADMIN" })]);
    const { key, secret } = await createTestKey(owner.id, { name: "ci deploy" });
    await revokeApiKey({ keyId: key.id, reason: "Shared in a public ticket" }, { actorId: admin.id });
    const [notice] = await noticesOf(owner.id, "key_revoked");
    expect(notice!.title).toBe(`Key “ci deploy” (${key.start}…) was revoked by an administrator`);
    expect(notice!.body).toContain("Reason given: Shared in a public ticket.");
    expect(await noticesOf(admin.id)).toHaveLength(0);
    await deliverAll();
    const [mail] = mailsTo(owner.email);
    expect(mail!.subject).toBe("Key “ci deploy” was revoked by an administrator · Keyport");
    expect(mail!.text).toContain("Shared in a public ticket");
    expect(mail!.raw).not.toContain(secret);
    expect(mail!.raw).not.toContain(secret.slice(-20));
  });

  it("a key auto-revoked by a leak report: the owner is told where it was found, without the secret", async () => {
    const owner = await createTestUser();
    const { key, secret } = await createTestKey(owner.id, { name: "leaky" });
    await reportLeakedTokens([{ token: secret, type: "keyport_api_key", url: "https://github.com/acme/app/blob/main/.env", source: "content" }], { ip: null, userAgent: "GitHub" });
    const [notice] = await noticesOf(owner.id, "key_revoked");
    expect(notice!.title).toBe(`Key “leaky” (${key.start}…) was revoked: it was found in public`);
    expect(notice!.body).toContain("found at https://github.com/acme/app/blob/main/.env");
    await deliverAll();
    const [mail] = mailsTo(owner.email);
    expect(mail!.text).toContain("https://github.com/acme/app/blob/main/.env");
    expect(mail!.raw).not.toContain(secret);
  });

  it("an owner revoking their own key gets no notice; turning revocation notices off keeps the dashboard notice but not the mail", async () => {
    const owner = await createTestUser();
    const own = await createTestKey(owner.id);
    await revokeApiKey({ keyId: own.key.id, ownerId: owner.id }, { actorId: owner.id });
    expect(await noticesOf(owner.id)).toHaveLength(0);

    await db.user.update({ where: { id: owner.id }, data: { notifyKeyRevoked: false } });
    const other = await createTestKey(owner.id);
    await revokeApiKey({ keyId: other.key.id, reason: "Cleanup" }, { actorId: null });
    expect(await noticesOf(owner.id, "key_revoked")).toHaveLength(1);
    expect(await db.outboxMessage.count({ where: { to: owner.email } })).toBe(0);
  });
});

describe("new-device sign-in notice", () => {
  it("fires once per device not seen before, never for the first sign-in or a known device", async () => {
    const user = await createTestUser();
    const session = (deviceId: string | null) => createSession({ userId: user.id, method: "credentials", ip: "203.0.113.9", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0", deviceId });
    await session("device-laptop-000000000000000000000000000000");
    await session("device-laptop-000000000000000000000000000000");
    expect(await noticesOf(user.id)).toHaveLength(0);
    await session("device-phone-0000000000000000000000000000000");
    await session("device-phone-0000000000000000000000000000000");
    await session(null);
    const notices = await noticesOf(user.id, "new_sign_in");
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toContain("Chrome on Linux from IP 203.0.113.9");
    await deliverAll();
    expect(mailsTo(user.email).map((m) => m.subject)).toEqual(["New sign-in to your account · Keyport"]);
    // Device ids are stored hashed only.
    const stored = await db.session.findMany({ where: { userId: user.id }, select: { deviceHash: true } });
    expect(stored.some((row) => row.deviceHash?.includes("device-"))).toBe(false);
    expect(stored.filter((row) => row.deviceHash).every((row) => /^[0-9a-f]{64}$/.test(row.deviceHash!))).toBe(true);
  });
});

describe("the dashboard's notices", () => {
  it("unread count, mark one read, mark all read: each only ever touches the caller's own notices", async () => {
    const [alice, mallory] = await Promise.all([createTestUser(), createTestUser()]);
    const base = Date.now();
    for (const n of [1, 2, 3]) await notifyUser(db, alice.id, { kind: "password_changed", title: `Notice ${n}`, body: "b" }, new Date(base + n * 1_000));
    await notifyUser(db, mallory.id, { kind: "password_changed", title: "Mallory's", body: "b" });
    expect(await countUnreadNotifications(alice.id)).toBe(3);
    const [newest] = await listNotifications(alice.id);
    expect(newest!.title).toBe("Notice 3");
    expect(newest!.createdAt.getTime()).toBe(base + 3_000);
    // Someone else's id changes nothing.
    expect(await markNotificationRead(mallory.id, newest!.id)).toBe(false);
    expect(await countUnreadNotifications(alice.id)).toBe(3);
    expect(await markNotificationRead(alice.id, newest!.id)).toBe(true);
    expect(await markNotificationRead(alice.id, newest!.id)).toBe(false);
    expect(await countUnreadNotifications(alice.id)).toBe(2);
    expect(await markAllNotificationsRead(alice.id)).toBe(2);
    expect(await countUnreadNotifications(alice.id)).toBe(0);
    expect(await countUnreadNotifications(mallory.id)).toBe(1);
  });
});
