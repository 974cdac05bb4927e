import { writeAuditEvent } from "../audit";
import { db } from "../db";
import { invalidate } from "./key-events";

/**
 * Writes a `key.grace_ended` audit event for every rolled key whose grace has run out and
 * has none yet. Verification does not need it (the grace end is checked against the clock
 * on every request); the audit trail does. Safe to run from several instances at once:
 * each key is re-checked inside its own transaction.
 */
export async function recordGraceEndings(now = new Date()): Promise<number> {
  const ended = await db.apiKey.findMany({
    where: { graceEndsAt: { lte: now }, revokedAt: null, events: { none: { action: "key.grace_ended" } } },
    select: { id: true, ownerId: true, teamId: true, graceEndsAt: true },
    take: 500,
  });
  let recorded = 0;
  for (const key of ended) {
    const wrote = await db.$transaction(async (tx) => {
      const already = await tx.auditEvent.count({ where: { targetKeyId: key.id, action: "key.grace_ended" } });
      if (already) return false;
      await writeAuditEvent(tx, "key.grace_ended", { actorId: null, userAgent: "keyport" }, {
        keyId: key.id,
        userId: key.ownerId,
        teamId: key.teamId,
        details: { graceEndedAt: key.graceEndsAt },
      });
      return true;
    });
    if (wrote) {
      recorded++;
      invalidate({ kind: "key", id: key.id });
    }
  }
  return recorded;
}
