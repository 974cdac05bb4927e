import type { RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";
import { isServiceKey, type OwnerRole } from "../api-keys/key-policy";
import { env } from "../env";
import { processSingleton } from "../process-singleton";
import { createLimiter } from "./create-limiter";

const WINDOW_SECONDS = 60;

/** One limiter per distinct limit, shared by every bundle of the process. */
const limiters = processSingleton("key-rate-limiters", () => new Map<number, RateLimiterAbstract>());

function limiterFor(limit: number): RateLimiterAbstract {
  let limiter = limiters.get(limit);
  if (!limiter) {
    limiter = createLimiter({ keyPrefix: `key-${limit}`, points: limit, durationSeconds: WINDOW_SECONDS });
    limiters.set(limit, limiter);
  }
  return limiter;
}

export interface RateLimitOutcome {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

function outcome(limit: number, res: RateLimiterRes, allowed: boolean): RateLimitOutcome {
  return {
    allowed,
    limit,
    remaining: Math.max(0, res.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}

export interface RateLimitedKey {
  id: string;
  /** An admin's override; null: the default for what the key is. */
  rateLimitPerMinute: number | null;
  scopes: readonly string[];
  team: unknown;
  owner: { role: OwnerRole };
}

/**
 * Which calls a request counts among: a service key's POST /api/v1/verify calls have their own
 * default (isServiceKey says why); every other call of any key has the developer default.
 */
export type RateLimitedCall = "verify" | "api";

/** Requests a minute `key` may make of `call`: an admin's override, else the default for that call. */
export function keyRateLimitPerMinute(key: Omit<RateLimitedKey, "id">, call: RateLimitedCall = "api"): number {
  if (key.rateLimitPerMinute !== null) return key.rateLimitPerMinute;
  return call === "verify" && isServiceKey(key) ? env.SERVICE_KEY_RATE_LIMIT_PER_MINUTE : env.RATE_LIMIT_PER_MINUTE;
}

/**
 * Counts one request against a key's limit (keyRateLimitPerMinute; with the defaults, a
 * service key's verify calls and its other calls are counted apart). Shared through Redis in
 * scale-out mode; per instance in the embedded mode or while Redis is unreachable (the
 * limiter's in-memory insurance).
 */
export async function consumeKeyRequest(key: RateLimitedKey, call: RateLimitedCall = "api"): Promise<RateLimitOutcome> {
  const limit = keyRateLimitPerMinute(key, call);
  try {
    return outcome(limit, await limiterFor(limit).consume(key.id), true);
  } catch (rejection) {
    if (rejection instanceof Error) throw rejection;
    return outcome(limit, rejection as RateLimiterRes, false);
  }
}

/** The IETF draft RateLimit-* headers (and Retry-After when refused). */
export function rateLimitHeaders(result: RateLimitOutcome): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(result.limit),
    "RateLimit-Remaining": String(result.remaining),
    "RateLimit-Reset": String(result.resetSeconds),
  };
  if (!result.allowed) headers["Retry-After"] = String(result.resetSeconds);
  return headers;
}
