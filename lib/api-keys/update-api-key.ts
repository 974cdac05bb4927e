import type { AuditContext } from "../audit";
import { allowlistColumn, assertCallerKeyCurrent, changeKey, type KeyTarget, publicKeySelect } from "./change-key";
import { ApiKeyError } from "./errors";
import { assertMayChange, type CallerKey, isUsableState, type KeyAccess } from "./key-policy";
import { serializeScopes } from "./scopes";

export interface UpdateApiKeyInput {
  keyId: string;
  /** A personal key of this owner; or set `team` for a team key (see KeyTarget in change-key.ts). */
  ownerId?: string;
  team?: KeyTarget["team"];
  name?: string;
  scopes?: readonly string[];
  /** null removes the expiry. */
  expiresAt?: Date | null;
  /** CIDR blocks (already validated by parseAllowlist); empty allows any address. */
  ipAllowlist?: readonly string[];
  /** The calling key, when the change comes through the API. */
  callerKey?: CallerKey;
}

/**
 * Changes a key's name, scopes, expiry or allowlist. Access (scopes, expiry, allowlist) only
 * while the key still works, and only as the key policy allows (assertMayChange).
 */
export async function updateApiKey(input: UpdateApiKeyInput, context: AuditContext) {
  return changeKey({ keyId: input.keyId, ownerId: input.ownerId, team: input.team }, context, async (tx, existing) => {
    const change: Partial<KeyAccess> = {
      ...(input.scopes !== undefined ? { scopes: [...input.scopes].sort() } : {}),
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
      ...(input.ipAllowlist !== undefined ? { ipAllowlist: input.ipAllowlist } : {}),
    };
    if (Object.keys(change).length && !isUsableState(existing.state)) {
      throw new ApiKeyError("invalid_state", "A revoked or expired key cannot be given new scopes, a new expiry or a new allowlist.");
    }
    assertMayChange({ ownerRole: existing.owner.role, callerKey: input.callerKey, teamKey: existing.teamId !== null }, existing.access, change);
    if (Object.keys(change).length) await assertCallerKeyCurrent(tx, input.callerKey);
    const updated = await tx.apiKey.update({
      where: { id: existing.id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(change.scopes !== undefined ? { scopes: serializeScopes(change.scopes) } : {}),
        ...(change.expiresAt !== undefined ? { expiresAt: change.expiresAt } : {}),
        ...(change.ipAllowlist !== undefined ? { ipAllowlist: allowlistColumn(change.ipAllowlist) } : {}),
      },
      select: publicKeySelect,
    });
    return {
      result: updated,
      audit: {
        action: "key.updated",
        details: {
          ...(input.name !== undefined ? { name: { from: existing.name, to: input.name } } : {}),
          ...(change.scopes !== undefined ? { scopes: { from: existing.access.scopes, to: change.scopes } } : {}),
          ...(change.expiresAt !== undefined ? { expiresAt: { from: existing.expiresAt, to: change.expiresAt } } : {}),
          ...(change.ipAllowlist !== undefined ? { ipAllowlist: { from: existing.access.ipAllowlist, to: change.ipAllowlist } } : {}),
        },
      },
    };
  });
}
