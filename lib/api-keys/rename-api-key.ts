import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { ApiKeyError } from "./errors";
import { publicKeySelect } from "./create-api-key";
import { invalidate } from "./key-events";

/** Renames a key the owner holds; the name is a label, so revoked keys may be renamed too. */
export async function renameApiKey(input: { keyId: string; ownerId?: string; name: string }, context: AuditContext) {
  const key = await db.$transaction(async (tx) => {
    const existing = await tx.apiKey.findFirst({
      where: { id: input.keyId, ...(input.ownerId ? { ownerId: input.ownerId } : {}) },
      select: { id: true, ownerId: true, name: true },
    });
    if (!existing) throw new ApiKeyError("not_found", "No such key.");
    const renamed = await tx.apiKey.update({ where: { id: existing.id }, data: { name: input.name }, select: publicKeySelect });
    await writeAuditEvent(tx, "key.renamed", context, {
      keyId: existing.id,
      userId: existing.ownerId,
      details: { from: existing.name, to: input.name },
    });
    return renamed;
  });
  invalidate({ kind: "key", id: key.id });
  return key;
}
