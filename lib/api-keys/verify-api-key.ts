import { env } from "../env";
import { constantTimeEqual, hashApiKey, parseApiKey } from "./key-format";
import { holderFields, ipMayUseKey, isUsableState, keyHolderRole, keyState, missingScopes } from "./key-policy";
import { loadKeySnapshot } from "./load-key-snapshot";
import { recordKeyUse } from "./last-used";
import { recordUnknownKey, unknownKeyBlockFor } from "../rate-limit/unknown-key-throttle";
import type { VerifyFailureReason } from "./refusals";
import { startRetirementOnFirstUse } from "./retire-on-first-use";
import { type KeySnapshot, verificationCache } from "./verification-cache";

export type { VerifyFailureReason };

export type VerifyResult =
  | { ok: true; key: KeySnapshot }
  | { ok: false; reason: VerifyFailureReason; key?: KeySnapshot; missingScopes?: string[]; retryAfterMs?: number };

export interface VerifyOptions {
  /** Every one of these scopes must be held by the key (admin-only ones only while the owner is an admin). */
  scopes?: readonly string[];
  /**
   * The address the key is used from, checked against the key's allowlist: the caller's
   * socket address for /api/v1, the end client's `ip` for POST /api/v1/verify. `null` (not
   * known, or omitted) passes only keys without an allowlist.
   */
  ip?: string | null;
  /**
   * The address to count unknown keys against (unknown-key-throttle.ts); omit to count
   * nothing (the verify endpoint counts its own caller, not the keys it is asked about).
   */
  throttleIp?: string | null;
  /** For tests and benchmarks; defaults to Date.now(). */
  now?: number;
}

/**
 * Verifies a presented key. Shape and checksum are checked before anything is read, so a
 * malformed key never reaches the cache or the database. Whether the key is usable is the
 * key policy's keyState(), judged at `now` on every call, cached or not.
 */
export async function verifyApiKey(presented: string | null | undefined, options: VerifyOptions = {}): Promise<VerifyResult> {
  if (!presented) return { ok: false, reason: "missing" };
  if (!parseApiKey(presented, env.KEY_PREFIX).ok) return { ok: false, reason: "malformed" };

  const hash = hashApiKey(presented);
  const now = options.now ?? Date.now();
  let snapshot = verificationCache.get(hash);
  const throttleIp = options.throttleIp;
  // An address that presented too many unknown keys still has its valid keys read and
  // answered (a client behind the same NAT must not be locked out); what it is refused is
  // an answer for keys that turn out unknown. A cache hit never asks the throttle.
  const throttledAnswer = (): VerifyResult | null => {
    const retryAfterMs = throttleIp ? unknownKeyBlockFor(throttleIp, now) : 0;
    return retryAfterMs > 0 ? { ok: false, reason: "unknown_keys_throttled", retryAfterMs } : null;
  };
  if (snapshot === "unknown") {
    const throttled = throttledAnswer();
    if (throttled) return throttled;
  } else if (snapshot === undefined) {
    const ticket = verificationCache.beginRead();
    const loaded = await loadKeySnapshot(hash);
    verificationCache.set(hash, loaded, ticket);
    if (!loaded && throttleIp) {
      const throttled = throttledAnswer();
      if (throttled) return throttled;
      await recordUnknownKey(throttleIp, now);
    }
    snapshot = loaded ?? "unknown";
  }
  // The lookup was by hash; comparing it again in constant time costs nothing and keeps
  // the guarantee even if a cache or index ever returned a neighbour.
  if (snapshot === "unknown" || !constantTimeEqual(snapshot.keyHash, hash)) return { ok: false, reason: "unknown" };

  const key = snapshot;
  const holder = holderFields({ team: key.team, ownerDisabled: key.owner.disabled });
  const state = keyState({ revokedAt: key.revokedAt, expiresAt: key.expiresAt, graceEndsAt: key.graceEndsAt, ...holder }, now);
  if (!isUsableState(state)) return { ok: false, reason: state as "revoked" | "expired" | "owner_disabled" | "team_suspended", key };

  if (!ipMayUseKey(key.ipAllowlist, options.ip)) return { ok: false, reason: "ip_not_allowed", key };

  if (options.scopes?.length) {
    const missing = missingScopes(options.scopes, key.scopes, keyHolderRole(key));
    if (missing.length) return { ok: false, reason: "insufficient_scope", key, missingScopes: missing };
  }

  recordKeyUse(key.id, now);
  if (key.retireRolledFromAfterMs !== null && key.rolledFromId) await startRetirementOnFirstUse(key, now);
  return { ok: true, key };
}
