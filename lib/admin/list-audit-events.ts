import { db } from "../db";
import { findUserByEmail } from "./manage-users";
import { afterCursor, cursorRow, MAX_PAGE_SIZE, newestFirst, pageSize, readPage } from "./pagination";

export interface ListAuditEventsInput {
  actorEmail?: string;
  /** An exact action, e.g. "key.revoked". */
  action?: string;
  targetKeyId?: string;
  targetUserId?: string;
  /** Only this team's events (a team's audit log); the caller has checked the team's rules (lib/teams). */
  teamId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive, so consecutive ranges never show an event twice. */
  to?: Date;
  cursor?: string;
  take?: number;
}

const auditEventSelect = {
  id: true,
  createdAt: true,
  action: true,
  actorId: true,
  targetKeyId: true,
  targetUserId: true,
  ip: true,
  userAgent: true,
  details: true,
  actor: { select: { email: true } },
  targetUser: { select: { email: true } },
  targetKey: { select: { name: true, start: true } },
} as const;

type AuditEventRecord = {
  id: string;
  createdAt: Date;
  action: string;
  actorId: string | null;
  targetKeyId: string | null;
  targetUserId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: string;
  actor: { email: string } | null;
  targetUser: { email: string } | null;
  targetKey: { name: string; start: string } | null;
};

/** An audit event as the console, the CSV export and the CLI show it. */
export interface AuditEventRow {
  id: string;
  createdAt: Date;
  action: string;
  actorId: string | null;
  actorEmail: string | null;
  targetUserId: string | null;
  targetUserEmail: string | null;
  targetKeyId: string | null;
  targetKeyName: string | null;
  targetKeyStart: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

function toRow(event: AuditEventRecord): AuditEventRow {
  let details: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(event.details);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) details = parsed as Record<string, unknown>;
  } catch {
    // Details are written by writeAuditEvent as JSON; anything else is shown as empty, not fatal.
  }
  return {
    id: event.id,
    createdAt: event.createdAt,
    action: event.action,
    actorId: event.actorId,
    actorEmail: event.actor?.email ?? null,
    targetUserId: event.targetUserId,
    targetUserEmail: event.targetUser?.email ?? null,
    targetKeyId: event.targetKeyId,
    targetKeyName: event.targetKey?.name ?? null,
    targetKeyStart: event.targetKey?.start ?? null,
    ip: event.ip,
    userAgent: event.userAgent,
    details,
  };
}

/**
 * The audit trail newest first, filtered. Each filter has an index that leads with it and
 * ends in createdAt ([actorId|targetKeyId|targetUserId|teamId|action, createdAt]), and the
 * unfiltered trail and date ranges use [createdAt, id], so a page costs about the same
 * at a million events as at a hundred. An actor email is resolved to the actor's id first.
 */
export async function listAuditEvents(input: ListAuditEventsInput = {}) {
  const take = pageSize(input.take);
  const actor = input.actorEmail === undefined ? undefined : await findUserByEmail(input.actorEmail);
  if (actor === null) return { items: [], nextCursor: null };
  const start = await cursorRow(input.cursor, (args) => db.auditEvent.findUnique(args));
  const where = {
    ...(actor ? { actorId: actor.id } : {}),
    ...(input.action ? { action: input.action } : {}),
    ...(input.targetKeyId ? { targetKeyId: input.targetKeyId } : {}),
    ...(input.targetUserId ? { targetUserId: input.targetUserId } : {}),
    ...(input.teamId ? { teamId: input.teamId } : {}),
    ...(input.from || input.to ? { createdAt: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lt: input.to } : {}) } } : {}),
  };
  const page = await readPage(
    (after, batch) => db.auditEvent.findMany({ where: { AND: [where, afterCursor(after)] }, orderBy: [...newestFirst], take: batch, select: auditEventSelect }),
    take,
    start,
  );
  return { nextCursor: page.nextCursor, items: page.items.map(toRow) };
}

/** The most rows one CSV export holds; narrow the filters (a date range) for more. */
export const AUDIT_EXPORT_LIMIT = 100_000;

/** Every event the filters select, page by page, up to `limit` rows (the site's and a team's CSV export). */
export async function collectAuditEvents(input: Omit<ListAuditEventsInput, "cursor" | "take">, limit = AUDIT_EXPORT_LIMIT) {
  const rows: AuditEventRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAuditEvents({ ...input, cursor, take: MAX_PAGE_SIZE });
    rows.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < limit);
  return rows;
}

/**
 * How far back each poll of `followAuditEvents` looks again. An event's createdAt is set
 * when it is written, but it becomes visible when its transaction commits, which can be
 * later; Prisma's interactive transactions time out after 5 s, so an event that was not
 * visible at the previous poll has a createdAt no earlier than 5 s before it. 10 s also
 * allows for a little clock skew between the instances that write events.
 */
const FOLLOW_LOOKBACK_MS = 10_000;
const FOLLOW_BATCH = 500;

/**
 * A poller for `audit tail --follow`: each call returns the events that became visible
 * since the previous call, oldest first, each exactly once, including ones whose
 * transaction committed after a later event's did. Events before `since`, and the ones
 * already `shown`, are never returned.
 */
export function followAuditEvents(start: { since: Date; shown?: readonly AuditEventRow[] }) {
  const since = start.since.getTime();
  const seen = new Map<string, number>((start.shown ?? []).map((event) => [event.id, event.createdAt.getTime()]));
  // The window is anchored to this process's clock, not to the newest event, so one
  // event stamped in the future by a skewed clock cannot move the window past the rest.
  let previousPoll = Math.min(since, Date.now());
  return async function poll(): Promise<AuditEventRow[]> {
    const pollStarted = Date.now();
    const from = Math.max(since, previousPoll - FOLLOW_LOOKBACK_MS);
    const fresh: AuditEventRow[] = [];
    let after: { id: string; createdAt: Date } | null = null;
    for (;;) {
      const batch: AuditEventRecord[] = await db.auditEvent.findMany({
        where: {
          createdAt: { gte: new Date(from) },
          ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
        },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: FOLLOW_BATCH,
        select: auditEventSelect,
      });
      for (const event of batch) {
        if (seen.has(event.id)) continue;
        seen.set(event.id, event.createdAt.getTime());
        fresh.push(toRow(event));
      }
      if (batch.length < FOLLOW_BATCH) break;
      after = batch[batch.length - 1];
    }
    // What falls out of the next poll's window can never be read again: forget it.
    for (const [id, at] of seen) if (at < pollStarted - FOLLOW_LOOKBACK_MS) seen.delete(id);
    previousPoll = pollStarted;
    return fresh;
  };
}
