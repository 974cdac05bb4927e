import { db } from "../db";
import { recordGraceEndings } from "./record-grace-endings";
import { publicKeySelect } from "./create-api-key";
import { parseScopes } from "./scopes";

/** An owner's keys, newest first, with who revoked each (to tell an admin revoke apart). */
export async function listKeysForOwner(ownerId: string) {
  // The owner is looking: make sure ended graces are in the trail they may open next.
  await recordGraceEndings().catch(() => undefined);
  const keys = await db.apiKey.findMany({
    where: { ownerId },
    orderBy: { createdAt: "desc" },
    select: {
      ...publicKeySelect,
      revokedBy: { select: { id: true, role: true } },
      rolledTo: { select: { retireRolledFromAfterMs: true } },
    },
    take: 500,
  });
  return keys.map((key) => ({
    ...key,
    scopes: parseScopes(key.scopes),
    // Revoked by anyone but the owner: an admin, or Keyport itself (a leak report).
    revokedByAdmin: Boolean(key.revokedAt && key.revokedBy?.id !== ownerId),
    /** Set while a usage-aware roll waits for the replacement's first use. */
    retiresAfterReplacementUseMs: key.rolledTo?.retireRolledFromAfterMs ?? null,
  }));
}

export type OwnerKey = Awaited<ReturnType<typeof listKeysForOwner>>[number];

/** One of an owner's keys with its audit trail; null if it is not theirs (never reveals another's). */
export async function getKeyForOwner(keyId: string, ownerId: string) {
  const key = await db.apiKey.findFirst({
    where: { id: keyId, ownerId },
    select: {
      ...publicKeySelect,
      revokedBy: { select: { id: true, email: true } },
      rolledFrom: { select: { id: true, name: true, start: true } },
      rolledTo: { select: { id: true, name: true, start: true, lastUsedAt: true, retireRolledFromAfterMs: true } },
    },
  });
  if (!key) return null;
  const events = await db.auditEvent.findMany({
    where: { targetKeyId: key.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 100,
    select: { id: true, action: true, createdAt: true, ip: true, userAgent: true, details: true, actor: { select: { email: true } } },
  });
  return { ...key, scopes: parseScopes(key.scopes), revokedByAdmin: Boolean(key.revokedAt && key.revokedBy?.id !== ownerId), events };
}
