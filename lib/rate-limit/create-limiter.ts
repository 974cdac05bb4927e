import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { redis } from "../redis";

/**
 * A fixed-window limiter from rate-limiter-flexible: shared through Redis when REDIS_URL
 * is set, with an in-memory limiter as its insurance so an outage degrades to per-instance
 * limits instead of failing requests. In-memory only in the embedded mode.
 */
export function createLimiter(options: { keyPrefix: string; points: number; durationSeconds: number }): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix: options.keyPrefix, points: options.points, duration: options.durationSeconds });
  const client = redis();
  if (!client) return memory;
  return new RateLimiterRedis({
    storeClient: client,
    keyPrefix: `keyport:${options.keyPrefix}`,
    points: options.points,
    duration: options.durationSeconds,
    insuranceLimiter: memory,
  });
}
