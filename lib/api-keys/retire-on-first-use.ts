import { writeAuditEvent } from "../audit";
import { db } from "../db";
import { invalidate } from "./key-events";
import type { KeySnapshot } from "./verification-cache";

/**
 * The first successful use of a key made by a usage-aware roll: the key it replaced now
 * gets its grace end (this moment plus the chosen grace). Runs once; the update is
 * conditional, so instances racing on the same first request cannot set it twice.
 */
export async function startRetirementOnFirstUse(key: KeySnapshot, now: number) {
  const graceMs = key.retireRolledFromAfterMs;
  const oldKeyId = key.rolledFromId;
  if (graceMs === null || !oldKeyId) return;
  // Visible to this process's next requests even before the write lands.
  key.retireRolledFromAfterMs = null;
  const graceEndsAt = new Date(now + graceMs);
  const started = await db.$transaction(async (tx) => {
    const claimed = await tx.apiKey.updateMany({ where: { id: key.id, retireRolledFromAfterMs: { not: null } }, data: { retireRolledFromAfterMs: null } });
    if (claimed.count === 0) return false;
    await tx.apiKey.updateMany({ where: { id: oldKeyId, graceEndsAt: null, revokedAt: null }, data: { graceEndsAt } });
    await writeAuditEvent(tx, "key.retirement_scheduled", { actorId: null, userAgent: "keyport" }, {
      keyId: oldKeyId,
      userId: key.owner.id,
      teamId: key.team?.id ?? null,
      details: { replacementKeyId: key.id, replacementFirstUsedAt: new Date(now), graceEndsAt },
    });
    return true;
  });
  if (started) {
    invalidate({ kind: "key", id: oldKeyId });
    invalidate({ kind: "key", id: key.id });
  }
}
