import type { AuditContext } from "../audit";
import { notifyKeyRevoked } from "../notifications/key-revoked-notice";
import { changeKey, type KeyTarget, publicKeySelect } from "./change-key";
import { ApiKeyError } from "./errors";
import { normalizeRevokeReason } from "./key-policy";

export interface RevokeApiKeyInput {
  keyId: string;
  /** Restricts the revoke to this owner's keys; omitted only for admins and the CLI. */
  ownerId?: string;
  /** A team key, revoked by a member within their role (see KeyTarget in change-key.ts). */
  team?: KeyTarget["team"];
  reason?: string | null;
  /** Set by the leak report handler: the notice then says where the key was found (the reason). */
  byLeakReport?: boolean;
}

/** Revokes a key at once, in this process and (through key events) every other one. */
export async function revokeApiKey(input: RevokeApiKeyInput, context: AuditContext) {
  return changeKey({ keyId: input.keyId, ownerId: input.ownerId, team: input.team }, context, async (tx, existing) => {
    const reason = normalizeRevokeReason(input.reason);
    // Conditional on "not revoked yet", so of two revokes at the same moment exactly one wins.
    const { count } = await tx.apiKey.updateMany({
      where: { id: existing.id, revokedAt: null },
      data: { revokedAt: new Date(), revokedById: context.actorId, revokedReason: reason },
    });
    if (count === 0) throw new ApiKeyError("invalid_state", "This key is already revoked.");
    const revoked = await tx.apiKey.findUniqueOrThrow({ where: { id: existing.id }, select: publicKeySelect });
    // An administrator's or a leak report's revoke is told to the key's people, in this transaction.
    await notifyKeyRevoked(tx, existing, { actorId: context.actorId, reason, byLeakReport: input.byLeakReport === true });
    return { result: revoked, audit: { action: "key.revoked", details: { name: existing.name, reason } } };
  });
}
