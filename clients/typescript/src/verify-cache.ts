import { LRUCache } from "lru-cache";
import type { VerifyResult } from "./types.js";

export interface VerifyCacheOptions {
  /**
   * How long a VALID verdict is reused, in ms. This is the bound it adds on revocation: a key
   * revoked (or expired, or its owner disabled, or its scopes cut) in Keyport is still accepted
   * by this process for up to `ttlMs` after its last verdict was fetched. Keep it short
   * (seconds). Cached answers are also not counted against the key's rate limit in Keyport.
   */
  ttlMs: number;
  /** The most verdicts kept, least recently used dropped first (default 10,000). */
  max?: number;
  /** The clock, in ms (default performance.now); tests pass their own. */
  now?: () => number;
}

/** Positive verdicts of POST /api/v1/verify, by key (hashed), scopes and client IP. */
export class VerifyCache {
  private readonly entries: LRUCache<string, { result: VerifyResult; expiresAt: number }>;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: VerifyCacheOptions) {
    if (!(options.ttlMs > 0)) throw new RangeError("cache.ttlMs must be a positive number of milliseconds.");
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? (() => performance.now());
    // lru-cache bounds the size; the expiry is checked here, against the caller's clock.
    this.entries = new LRUCache({ max: options.max ?? 10_000 });
  }

  /** The cache key: the key's SHA-256 (the plaintext is not kept as a map key), its scopes and IP. */
  static async keyFor(key: string, scopes: readonly string[], ip: string | undefined): Promise<string> {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
    const hash = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
    return `${hash}\n${[...new Set(scopes)].sort().join(" ")}\n${ip ?? ""}`;
  }

  /**
   * The VALID verdict fetched less than ttlMs ago, if any: a copy (and `set` keeps one), so a
   * handler that edits its request's `owner` or `scopes` cannot change what later requests are told.
   */
  get(cacheKey: string): VerifyResult | undefined {
    const entry = this.entries.get(cacheKey);
    if (!entry) return undefined;
    if (this.now() < entry.expiresAt) return structuredClone(entry.result);
    this.entries.delete(cacheKey);
    return undefined;
  }

  /** The cache's clock, read before Keyport is asked: pass it to `set` as `askedAt`. */
  clock(): number {
    return this.now();
  }

  /**
   * Keeps only VALID verdicts: a refusal is always asked again, so a fixed key works at once.
   * The entry lives ttlMs from `askedAt`, when Keyport was asked (default: now), so a slow
   * answer does not stretch the bound on revocation by the time it took.
   */
  set(cacheKey: string, result: VerifyResult, askedAt: number = this.now()): void {
    // A copy: the caller goes on to hand `result` itself to its request.
    if (result.valid && result.code === "VALID") this.entries.set(cacheKey, { result: structuredClone(result), expiresAt: askedAt + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }

  /** Entries held, expired ones included until they are next read or pushed out. */
  get size(): number {
    return this.entries.size;
  }
}
