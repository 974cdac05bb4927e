import { env } from "../env";
import { constantTimeEqual, hashApiKey, parseApiKey } from "./key-format";
import { isIpAllowed } from "./ip-allowlist";
import { loadKeySnapshot } from "./load-key-snapshot";
import { recordKeyUse } from "./last-used";
import { recordUnknownKey, unknownKeyBlockFor } from "../rate-limit/unknown-key-throttle";
import { startRetirementOnFirstUse } from "./retire-on-first-use";
import { type KeySnapshot, verificationCache } from "./verification-cache";

export type VerifyFailureReason =
  | "missing"
  | "malformed"
  | "unknown"
  | "revoked"
  | "expired"
  | "owner_disabled"
  | "insufficient_scope"
  | "ip_not_allowed"
  | "unknown_keys_throttled";

export type VerifyResult =
  | { ok: true; key: KeySnapshot }
  | { ok: false; reason: VerifyFailureReason; key?: KeySnapshot; missingScopes?: string[]; retryAfterMs?: number };

export interface VerifyOptions {
  /** Every one of these scopes must be held by the key. */
  scopes?: readonly string[];
  /**
   * The caller's IP, checked against the key's allowlist, and counted when it presents an
   * unknown key (unknown-key-throttle.ts). Leave undefined to skip both (POST
   * /api/v1/verify, which does not know the end client's address).
   */
  ip?: string | null;
  /** For tests and benchmarks; defaults to Date.now(). */
  now?: number;
}

/**
 * Verifies a presented key. Shape and checksum are checked before anything is read, so a
 * malformed key never reaches the cache or the database. Expiry and grace are judged
 * against `now` on every call, so a cached key still stops at its expiry instant.
 */
export async function verifyApiKey(presented: string | null | undefined, options: VerifyOptions = {}): Promise<VerifyResult> {
  if (!presented) return { ok: false, reason: "missing" };
  if (!parseApiKey(presented, env.KEY_PREFIX).ok) return { ok: false, reason: "malformed" };

  const hash = hashApiKey(presented);
  const now = options.now ?? Date.now();
  let snapshot = verificationCache.get(hash);
  if (snapshot === undefined) {
    // An address that presented too many unknown keys gets no more database reads for a while.
    const retryAfterMs = options.ip ? unknownKeyBlockFor(options.ip, now) : 0;
    if (retryAfterMs > 0) return { ok: false, reason: "unknown_keys_throttled", retryAfterMs };
    const loaded = await loadKeySnapshot(hash);
    verificationCache.set(hash, loaded);
    if (!loaded && options.ip) await recordUnknownKey(options.ip, now);
    snapshot = loaded ?? "unknown";
  }
  // The lookup was by hash; comparing it again in constant time costs nothing and keeps
  // the guarantee even if a cache or index ever returned a neighbour.
  if (snapshot === "unknown" || !constantTimeEqual(snapshot.keyHash, hash)) return { ok: false, reason: "unknown" };

  const key = snapshot;
  if (key.revokedAt !== null && key.revokedAt <= now) return { ok: false, reason: "revoked", key };
  if ((key.expiresAt !== null && key.expiresAt <= now) || (key.graceEndsAt !== null && key.graceEndsAt <= now)) {
    return { ok: false, reason: "expired", key };
  }
  if (key.owner.disabled) return { ok: false, reason: "owner_disabled", key };

  if (options.ip !== undefined && !isIpAllowed(key.ipAllowlist, options.ip)) return { ok: false, reason: "ip_not_allowed", key };

  if (options.scopes?.length) {
    const missingScopes = options.scopes.filter((scope) => !key.scopes.includes(scope));
    if (missingScopes.length) return { ok: false, reason: "insufficient_scope", key, missingScopes };
  }

  recordKeyUse(key.id, now);
  if (key.retireRolledFromAfterMs !== null && key.rolledFromId) await startRetirementOnFirstUse(key, now);
  return { ok: true, key };
}
