import type { AuditContext } from "../audit";
import { changeKey, type KeyTarget, publicKeySelect } from "./change-key";

/** Renames a key the owner holds; the name is a label, so revoked keys may be renamed too. */
export async function renameApiKey(input: { keyId: string; ownerId?: string; team?: KeyTarget["team"]; name: string }, context: AuditContext) {
  return changeKey({ keyId: input.keyId, ownerId: input.ownerId, team: input.team }, context, async (tx, existing) => ({
    result: await tx.apiKey.update({ where: { id: existing.id }, data: { name: input.name }, select: publicKeySelect }),
    audit: { action: "key.renamed", details: { from: existing.name, to: input.name } },
  }));
}
