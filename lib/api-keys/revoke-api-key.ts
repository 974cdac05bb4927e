import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { ApiKeyError } from "./errors";
import { publicKeySelect } from "./create-api-key";
import { invalidate } from "./key-events";

export interface RevokeApiKeyInput {
  keyId: string;
  /** Restricts the revoke to this owner's keys; omitted only for admins and the CLI. */
  ownerId?: string;
  reason?: string | null;
}

/** Revokes a key at once, in this process and (through key events) every other one. */
export async function revokeApiKey(input: RevokeApiKeyInput, context: AuditContext) {
  const key = await db.$transaction(async (tx) => {
    const existing = await tx.apiKey.findFirst({
      where: { id: input.keyId, ...(input.ownerId ? { ownerId: input.ownerId } : {}) },
      select: { id: true, ownerId: true, revokedAt: true, name: true },
    });
    if (!existing) throw new ApiKeyError("not_found", "No such key.");
    if (existing.revokedAt) throw new ApiKeyError("invalid_state", "This key is already revoked.");
    const revoked = await tx.apiKey.update({
      where: { id: existing.id },
      // Control characters (NUL above all, which PostgreSQL refuses) become spaces: reasons
      // come from admins, the CLI and leak reports, and are shown to owners as text.
      data: { revokedAt: new Date(), revokedById: context.actorId, revokedReason: input.reason?.replace(/[\u0000-\u001f\u007f]/g, " ").trim().slice(0, 500) || null },
      select: publicKeySelect,
    });
    await writeAuditEvent(tx, "key.revoked", context, {
      keyId: existing.id,
      userId: existing.ownerId,
      details: { name: existing.name, reason: revoked.revokedReason },
    });
    return revoked;
  });
  invalidate({ kind: "key", id: key.id });
  return key;
}
