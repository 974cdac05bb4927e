import type { KeySnapshot } from "../api-keys/verification-cache";

/** The key as /api/v1 shows it: an explicit allow-list of fields, so a hash can never slip out. */
export function toPublicKey(key: KeySnapshot) {
  return {
    id: key.id,
    name: key.name,
    start: key.start,
    environment: key.environment,
    scopes: key.scopes,
    expiresAt: key.expiresAt === null ? null : new Date(key.expiresAt).toISOString(),
    createdAt: new Date(key.createdAt).toISOString(),
  };
}
