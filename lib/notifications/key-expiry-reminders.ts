import { db as defaultDb, type Db } from "../db";
import { acquireLease } from "../leases";
import { describeKey, keyAudience, keyHref } from "./key-audience";
import { notifyUser } from "./notify-user";

/**
 * Reminders before a key stops working: its expiry in 7 days and in 1 day, and the end of a
 * roll's grace within 24 hours. Each is sent once per key, threshold, recipient and instant
 * (the dedupeKey carries the expiry, so a key whose expiry is changed is reminded again),
 * whatever the number of instances or restarts: the Notification row's unique dedupeKey is
 * the record of what was sent. The job runs under a database lease so one instance does
 * the work, reads keys in bounded pages, and a restart simply reads again: what was sent is
 * skipped.
 */

const DAY = 86_400_000;
export const REMINDER_LEASE = "jobs.key-reminders";
/** Keys read per page, and notices written per run at most (the next run goes on). */
const PAGE = 200;
const MAX_NOTICES_PER_RUN = 1_000;

type Threshold = "7d" | "1d" | "grace";

interface ReminderKey {
  id: string;
  name: string;
  start: string;
  ownerId: string;
  teamId: string | null;
  expiresAt: Date | null;
  graceEndsAt: Date | null;
}

const keySelect = { id: true, name: true, start: true, ownerId: true, teamId: true, expiresAt: true, graceEndsAt: true } as const;

/** Which keys a threshold is for at `now`: a key inside the 1-day window gets the 1-day notice only. */
function windowWhere(threshold: Threshold, now: Date) {
  const at = (ms: number) => new Date(now.getTime() + ms);
  // Keys that can still call the API and whose holder can act on a notice.
  const alive = { revokedAt: null, OR: [{ teamId: null, owner: { disabledAt: null, deletedAt: null } }, { teamId: { not: null }, team: { deletedAt: null } }] };
  if (threshold === "grace") return { ...alive, graceEndsAt: { gt: now, lte: at(DAY) } };
  // A rolled key is reminded of its grace, not of an expiry its replacement made moot.
  const notRolled = { rolledTo: { is: null }, graceEndsAt: null };
  if (threshold === "1d") return { ...alive, ...notRolled, expiresAt: { gt: now, lte: at(DAY) } };
  return { ...alive, ...notRolled, expiresAt: { gt: at(DAY), lte: at(7 * DAY) } };
}

function instantOf(key: ReminderKey, threshold: Threshold): Date {
  return (threshold === "grace" ? key.graceEndsAt : key.expiresAt)!;
}

export function reminderDedupeKey(keyId: string, threshold: Threshold, instant: Date, userId: string): string {
  return `key_expiring:${keyId}:${threshold}:${instant.toISOString()}:${userId}`;
}

function formatInstant(instant: Date): string {
  return `${instant.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function noticeFor(key: ReminderKey, threshold: Threshold) {
  const instant = instantOf(key, threshold);
  const named = describeKey(key);
  const when = formatInstant(instant);
  if (threshold === "grace") {
    return {
      title: `The old key ${named} stops working within 24 hours`,
      body: `It was rolled; its grace period ends at ${when}. Make sure everything uses its replacement by then.`,
      subject: `Key “${key.name}” stops working within 24 hours`,
    };
  }
  const span = threshold === "7d" ? "7 days" : "1 day";
  return {
    title: `Key ${named} expires within ${span}`,
    body: `It expires at ${when}. Roll it (or set a later expiry) before then, or requests using it will be refused.`,
    subject: `Key “${key.name}” expires within ${span}`,
  };
}

export interface ReminderRun {
  /** False when another instance holds the lease: this run did nothing. */
  ran: boolean;
  notified: number;
}

/**
 * One run of the reminder job. `holder` names this instance for the lease (lib/leases.ts);
 * `leaseMs` is how long the lease lasts unless renewed by the holder's next run.
 */
export async function sendKeyReminders(options: { holder: string; leaseMs: number; now?: Date; db?: Db }): Promise<ReminderRun> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? new Date();
  if (!(await acquireLease(REMINDER_LEASE, options.holder, options.leaseMs, now, db))) return { ran: false, notified: 0 };
  let notified = 0;
  for (const threshold of ["1d", "7d", "grace"] as const) {
    let after: string | undefined;
    while (notified < MAX_NOTICES_PER_RUN) {
      const keys: ReminderKey[] = await db.apiKey.findMany({
        where: { ...windowWhere(threshold, now), ...(after ? { id: { gt: after } } : {}) },
        select: keySelect,
        orderBy: { id: "asc" },
        take: PAGE,
      });
      if (keys.length === 0) break;
      after = keys.at(-1)!.id;
      for (const key of keys) notified += await remindKey(db, key, threshold, now);
      if (keys.length < PAGE) break;
    }
  }
  return { ran: true, notified };
}

/** The notices of one key at one threshold, in one transaction; returns how many were new. */
async function remindKey(db: Db, key: ReminderKey, threshold: Threshold, now: Date): Promise<number> {
  const instant = instantOf(key, threshold);
  const notice = noticeFor(key, threshold);
  return db.$transaction(async (tx) => {
    const audience = await keyAudience(tx, key);
    // Most runs find every notice already sent: one read says so without writing.
    const dedupeKeys = audience.map((userId) => reminderDedupeKey(key.id, threshold, instant, userId));
    const sent = new Set(
      (await tx.notification.findMany({ where: { dedupeKey: { in: dedupeKeys } }, select: { dedupeKey: true } })).map((row) => row.dedupeKey),
    );
    let count = 0;
    for (const [index, userId] of audience.entries()) {
      if (sent.has(dedupeKeys[index]!)) continue;
      const wrote = await notifyUser(
        tx,
        userId,
        {
          kind: "key_expiring",
          title: notice.title,
          body: notice.body,
          href: keyHref(key.id),
          dedupeKey: dedupeKeys[index],
          mail: {
            subject: notice.subject,
            heading: notice.title,
            paragraphs: [notice.body],
            action: { label: "Open the key", url: keyHref(key.id) },
            footer: "You get this reminder because key expiry notices are on in your account settings.",
          },
        },
        now,
      );
      if (wrote) count++;
    }
    return count;
  });
}
