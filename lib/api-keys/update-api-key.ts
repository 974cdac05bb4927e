import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { activeKeyWhere, publicKeySelect } from "./create-api-key";
import { ApiKeyError } from "./errors";
import { assertScopesGrantable } from "./grantable-scopes";
import { invalidate } from "./key-events";
import { parseScopes, serializeScopes } from "./scopes";

export interface UpdateApiKeyInput {
  keyId: string;
  ownerId: string;
  name?: string;
  scopes?: readonly string[];
  /** null removes the expiry. */
  expiresAt?: Date | null;
  /** CIDR blocks (already validated by parseAllowlist); empty allows any address. */
  ipAllowlist?: readonly string[];
  /** The calling key's scopes, when the change comes through the API. */
  callerScopes?: readonly string[];
}

/** Changes a key's name, scopes or expiry; scopes and expiry only while the key still works. */
export async function updateApiKey(input: UpdateApiKeyInput, context: AuditContext) {
  const now = new Date();
  const key = await db.$transaction(async (tx) => {
    const existing = await tx.apiKey.findFirst({
      where: { id: input.keyId, ownerId: input.ownerId },
      select: { ...publicKeySelect, owner: { select: { role: true } } },
    });
    if (!existing) throw new ApiKeyError("not_found", "No such key.");
    const changesAccess = input.scopes !== undefined || input.expiresAt !== undefined;
    if (changesAccess && !(await tx.apiKey.count({ where: { id: existing.id, ...activeKeyWhere(now) } }))) {
      throw new ApiKeyError("invalid_state", "A revoked or expired key cannot be given new scopes or a new expiry.");
    }
    if (input.scopes) assertScopesGrantable(input.scopes, { ownerIsAdmin: existing.owner.role === "ADMIN", callerScopes: input.callerScopes });
    const updated = await tx.apiKey.update({
      where: { id: existing.id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.scopes !== undefined ? { scopes: serializeScopes(input.scopes) } : {}),
        ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
        ...(input.ipAllowlist !== undefined ? { ipAllowlist: input.ipAllowlist.length ? input.ipAllowlist.join(" ") : null } : {}),
      },
      select: publicKeySelect,
    });
    await writeAuditEvent(tx, "key.updated", context, {
      keyId: existing.id,
      userId: existing.ownerId,
      details: {
        ...(input.name !== undefined ? { name: { from: existing.name, to: input.name } } : {}),
        ...(input.scopes !== undefined ? { scopes: { from: parseScopes(existing.scopes), to: [...input.scopes].sort() } } : {}),
        ...(input.expiresAt !== undefined ? { expiresAt: { from: existing.expiresAt, to: input.expiresAt } } : {}),
        ...(input.ipAllowlist !== undefined ? { ipAllowlist: { from: existing.ipAllowlist?.split(" ") ?? [], to: input.ipAllowlist } } : {}),
      },
    });
    return updated;
  });
  invalidate({ kind: "key", id: key.id });
  return key;
}
