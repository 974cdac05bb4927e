import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { env } from "../env";
import { activeKeyWhere, publicKeySelect } from "./create-api-key";
import { ApiKeyError } from "./errors";
import { generateApiKey } from "./key-format";
import { invalidate } from "./key-events";

export interface RollApiKeyInput {
  keyId: string;
  ownerId?: string;
  /** How long the old key keeps working; 0 stops it now. */
  graceMs: number;
  /**
   * Usage-aware rotation: the grace starts only when the new key is first used, so an old
   * key that is still deployed somewhere is not cut off before its replacement is live.
   */
  startGraceOnFirstUse?: boolean;
}

/**
 * Replaces a key with a new one of the same settings. The old key keeps working until
 * its grace ends, so callers can be moved over without an outage. Returns the new
 * key's secret, once.
 */
export async function rollApiKey(input: RollApiKeyInput, context: AuditContext) {
  const now = new Date();
  const graceMs = Math.max(0, input.graceMs);
  const graceEndsAt = input.startGraceOnFirstUse ? null : new Date(now.getTime() + graceMs);
  const result = await db.$transaction(async (tx) => {
    const old = await tx.apiKey.findFirst({
      where: { id: input.keyId, ...(input.ownerId ? { ownerId: input.ownerId } : {}) },
      select: { ...publicKeySelect, rolledTo: { select: { id: true } } },
    });
    if (!old) throw new ApiKeyError("not_found", "No such key.");
    const stillActive = await tx.apiKey.count({ where: { id: old.id, ...activeKeyWhere(now) } });
    if (!stillActive || old.rolledTo) {
      throw new ApiKeyError("invalid_state", "Only an active key that has not been rolled already can be rolled.");
    }
    const generated = generateApiKey(env.KEY_PREFIX, old.environment);
    const created = await tx.apiKey.create({
      data: {
        ownerId: old.ownerId,
        name: old.name,
        environment: old.environment,
        scopes: old.scopes,
        expiresAt: old.expiresAt,
        keyHash: generated.hash,
        start: generated.start,
        rolledFromId: old.id,
        retireRolledFromAfterMs: input.startGraceOnFirstUse ? graceMs : null,
      },
      select: publicKeySelect,
    });
    if (graceEndsAt) await tx.apiKey.update({ where: { id: old.id }, data: { graceEndsAt } });
    await writeAuditEvent(tx, "key.rolled", context, {
      keyId: old.id,
      userId: old.ownerId,
      details: input.startGraceOnFirstUse ? { newKeyId: created.id, graceAfterFirstUseMs: graceMs } : { newKeyId: created.id, graceEndsAt },
    });
    return { key: created, secret: generated.secret };
  });
  invalidate({ kind: "key", id: input.keyId });
  return { ...result, graceEndsAt };
}
