import { LRUCache } from "lru-cache";
import { env } from "../env";
import { processSingleton } from "../process-singleton";

/**
 * What verification needs to know about a key, snapshotted from the database.
 * Times are epoch milliseconds so expiry is decided at every request, not at caching.
 */
export interface KeySnapshot {
  id: string;
  keyHash: string;
  name: string;
  start: string;
  environment: "live" | "test";
  scopes: string[];
  legacy: boolean;
  /** Requests a minute; null for the default. */
  rateLimitPerMinute: number | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  revokedReason: string | null;
  graceEndsAt: number | null;
  rolledFromId: string | null;
  /** CIDR blocks the key may be used from; empty: anywhere. */
  ipAllowlist: string[];
  /** Pending usage-aware retirement of the key this one replaced (see roll-api-key.ts). */
  retireRolledFromAfterMs: number | null;
  owner: { id: string; email: string; name: string | null; disabled: boolean };
}

/**
 * The in-process verification cache: key hash -> snapshot, with a short TTL so a hot
 * key costs no database read. Unknown hashes are remembered in a separate, smaller cache
 * so a flood of invented keys cannot push valid keys out. A hash that is unknown now can
 * only become known if someone creates that exact secret, so the negative entry is safe.
 */
const { known, unknown, hashByKeyId } = processSingleton("verification-cache", () => ({
  known: new LRUCache<string, KeySnapshot>({ max: env.KEY_CACHE_MAX_ENTRIES, ttl: Math.max(env.KEY_CACHE_TTL_MS, 1) }),
  unknown: new LRUCache<string, true>({
    max: Math.max(1_000, Math.floor(env.KEY_CACHE_MAX_ENTRIES / 5)),
    ttl: Math.max(env.KEY_CACHE_TTL_MS, 1),
  }),
  hashByKeyId: new Map<string, string>(),
}));
const cacheEnabled = env.KEY_CACHE_TTL_MS > 0;

export const verificationCache = {
  get(hash: string): KeySnapshot | "unknown" | undefined {
    if (!cacheEnabled) return undefined;
    return known.get(hash) ?? (unknown.get(hash) ? "unknown" : undefined);
  },

  set(hash: string, snapshot: KeySnapshot | null) {
    if (!cacheEnabled) return;
    if (snapshot) {
      known.set(hash, snapshot);
      hashByKeyId.set(snapshot.id, hash);
    } else {
      unknown.set(hash, true);
    }
  },

  /** Drops one key, so its next request reads the database. */
  invalidateKey(keyId: string) {
    const hash = hashByKeyId.get(keyId);
    if (hash) known.delete(hash);
    hashByKeyId.delete(keyId);
  },

  /** Drops every key of one owner (a user was disabled or enabled). */
  invalidateOwner(ownerId: string) {
    for (const [hash, snapshot] of known.entries()) {
      if (snapshot.owner.id === ownerId) {
        known.delete(hash);
        hashByKeyId.delete(snapshot.id);
      }
    }
  },

  /** Drops everything, including remembered unknown hashes (after an import). */
  clear() {
    known.clear();
    unknown.clear();
    hashByKeyId.clear();
  },

  get size() {
    return known.size;
  },
};
