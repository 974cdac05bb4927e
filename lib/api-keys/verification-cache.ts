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
  /** For a team key, the user who created it (for the record); for a personal key, its holder. */
  /** `disabled`: disabled by an admin or deleted by its owner (its personal keys stop either way). */
  owner: { id: string; email: string; name: string | null; disabled: boolean; role: "USER" | "ADMIN" };
  /** The team that owns the key, or null for a personal key. `suspended` is set while the team is suspended or deleted. */
  team: { id: string; slug: string; name: string; suspended: boolean } | null;
}

/**
 * The in-process verification cache: key hash -> snapshot, with a short TTL so a hot
 * key costs no database read. Unknown hashes are remembered in a separate, smaller cache
 * so a flood of invented keys cannot push valid keys out. A hash that is unknown now can
 * only become known if someone creates that exact secret, so the negative entry is safe.
 *
 * Its rule: an invalidation (revoke, change, disable, role change, here or broadcast from
 * another instance) drops the entry, and a read that was already in flight when it happened
 * may not put its older snapshot back. Every invalidation bumps a generation counter; a
 * read notes the generation before it reads the database (`beginRead`) and caches its result
 * only if no invalidation happened meanwhile (`set`). That costs the hot path nothing: a
 * hit never reads the counter.
 *
 * The id -> hash index that lets a revoke by id find the entry holds only ids of cached
 * snapshots: an entry leaving `known` (evicted, expired, deleted) leaves the index too, so
 * it is bounded by KEY_CACHE_MAX_ENTRIES like the cache itself.
 */
const { known, unknown, hashByKeyId, generation } = processSingleton("verification-cache", () => {
  const hashByKeyId = new Map<string, string>();
  return {
    known: new LRUCache<string, KeySnapshot>({
      max: env.KEY_CACHE_MAX_ENTRIES,
      ttl: Math.max(env.KEY_CACHE_TTL_MS, 1),
      dispose: (snapshot, hash) => {
        if (hashByKeyId.get(snapshot.id) === hash) hashByKeyId.delete(snapshot.id);
      },
    }),
    unknown: new LRUCache<string, true>({
      max: Math.max(1_000, Math.floor(env.KEY_CACHE_MAX_ENTRIES / 5)),
      ttl: Math.max(env.KEY_CACHE_TTL_MS, 1),
    }),
    hashByKeyId,
    generation: { value: 0 },
  };
});
const cacheEnabled = env.KEY_CACHE_TTL_MS > 0;

/** Taken before a database read; `set` caches the result only if it is still current. */
export type ReadTicket = number;

export const verificationCache = {
  get(hash: string): KeySnapshot | "unknown" | undefined {
    if (!cacheEnabled) return undefined;
    return known.get(hash) ?? (unknown.get(hash) ? "unknown" : undefined);
  },

  /** Call before reading the database for a miss. */
  beginRead(): ReadTicket {
    return generation.value;
  },

  /**
   * Caches what a read found, unless an invalidation happened since its ticket was taken:
   * the read may then hold a snapshot from before a revoke. Returns whether it cached.
   */
  set(hash: string, snapshot: KeySnapshot | null, ticket: ReadTicket): boolean {
    if (!cacheEnabled || ticket !== generation.value) return false;
    if (snapshot) {
      known.set(hash, snapshot);
      hashByKeyId.set(snapshot.id, hash);
    } else {
      unknown.set(hash, true);
    }
    return true;
  },

  /** Drops one key, so its next request reads the database. */
  invalidateKey(keyId: string) {
    generation.value++;
    const hash = hashByKeyId.get(keyId);
    if (hash) known.delete(hash);
    hashByKeyId.delete(keyId);
  },

  /** Drops every key of one owner (a user was disabled or enabled, or their role changed). */
  invalidateOwner(ownerId: string) {
    generation.value++;
    for (const [hash, snapshot] of known.entries()) {
      if (snapshot.owner.id === ownerId) known.delete(hash);
    }
  },

  /** Drops every key of one team (suspended, unsuspended, deleted or renamed). */
  invalidateTeam(teamId: string) {
    generation.value++;
    for (const [hash, snapshot] of known.entries()) {
      if (snapshot.team?.id === teamId) known.delete(hash);
    }
  },

  /** Drops everything, including remembered unknown hashes (after an import, or a lost subscription). */
  clear() {
    generation.value++;
    known.clear();
    unknown.clear();
    hashByKeyId.clear();
  },

  get size() {
    return known.size;
  },

  /** Entries in the id -> hash index; never more than `size` (tests check it stays bounded). */
  get indexSize() {
    return hashByKeyId.size;
  },
};
