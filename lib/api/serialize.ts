import { keyStatus } from "../api-keys/key-status";
import { parseScopes } from "../api-keys/scopes";
import type { KeySnapshot } from "../api-keys/verification-cache";

/** The calling key as /api/v1/me shows it: an explicit allow-list of fields, so a hash can never slip out. */
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

/** The team that owns a key ({ id, slug, name }), or null for a personal key. */
export function toKeyTeam(key: Pick<KeySnapshot, "team">) {
  return key.team ? { id: key.team.id, slug: key.team.slug, name: key.team.name } : null;
}

/**
 * Who created the key: for a personal key its owner; for a team key the member who made it,
 * kept for the record only (the key does not depend on them).
 */
export function toCreatedBy(key: Pick<KeySnapshot, "owner">) {
  return { id: key.owner.id, email: key.owner.email };
}

interface KeyRow {
  id: string;
  name: string;
  start: string;
  environment: "live" | "test";
  scopes: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  graceEndsAt: Date | null;
  rolledFromId: string | null;
  ipAllowlist: string | null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A stored key (selected through publicKeySelect) as the management API returns it. */
export function toApiKey(row: KeyRow) {
  return {
    id: row.id,
    name: row.name,
    start: row.start,
    environment: row.environment,
    scopes: parseScopes(row.scopes),
    status: keyStatus(row),
    createdAt: row.createdAt.toISOString(),
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
    graceEndsAt: iso(row.graceEndsAt),
    rolledFromId: row.rolledFromId,
    ipAllowlist: row.ipAllowlist ? row.ipAllowlist.split(" ") : [],
  };
}
