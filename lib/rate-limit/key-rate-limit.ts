import type { RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";
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

/**
 * Counts one request against a key's limit (its override, or RATE_LIMIT_PER_MINUTE).
 * Shared through Redis in scale-out mode; per instance in the embedded mode or while
 * Redis is unreachable (the limiter's in-memory insurance).
 */
export async function consumeKeyRequest(keyId: string, override: number | null): Promise<RateLimitOutcome> {
  const limit = override ?? env.RATE_LIMIT_PER_MINUTE;
  try {
    return outcome(limit, await limiterFor(limit).consume(keyId), true);
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
