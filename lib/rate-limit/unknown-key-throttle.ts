import { RateLimiterRes } from "rate-limiter-flexible";
import { env } from "../env";
import { processSingleton } from "../process-singleton";
import { createLimiter } from "./create-limiter";

/**
 * Unknown keys per client IP. A key that is well-formed but unknown costs a database read
 * (the negative cache holds only so many), so a flood of invented keys from one address
 * turns into database load for every instance. Past UNKNOWN_KEYS_PER_IP_PER_MINUTE such
 * lookups, the address gets a 429 for any key the verification cache does not already
 * hold, without a database read, until the window ends. Keys in the cache (the valid
 * keys that address was using) keep working: a flood cannot lock out a client behind the
 * same NAT that is using a real key.
 *
 * Checking costs a Map lookup; only an unknown key pays a limiter call (shared through
 * Redis in scale-out mode), and the answer "blocked until" is remembered locally.
 */
const WINDOW_SECONDS = 60;
const state = processSingleton("unknown-key-throttle", () => ({
  limiter: createLimiter({ keyPrefix: "unknown-key-ip", points: env.UNKNOWN_KEYS_PER_IP_PER_MINUTE, durationSeconds: WINDOW_SECONDS }),
  blockedUntil: new Map<string, number>(),
}));

/** Milliseconds until `ip` may look up uncached keys again; 0 when it may now. */
export function unknownKeyBlockFor(ip: string, now: number): number {
  const until = state.blockedUntil.get(ip);
  if (until === undefined) return 0;
  if (until > now) return until - now;
  state.blockedUntil.delete(ip);
  return 0;
}

/** Counts one unknown key from `ip`; at the limit, blocks the address for the rest of the window. */
export async function recordUnknownKey(ip: string, now: number): Promise<void> {
  let result: RateLimiterRes;
  try {
    result = await state.limiter.consume(ip);
  } catch (refusal) {
    // Over the limit already (another instance counted the rest); anything else is the
    // limiter failing, which must never block anyone.
    if (!(refusal instanceof RateLimiterRes)) return;
    result = refusal;
  }
  if (result.remainingPoints > 0) return;
  if (state.blockedUntil.size > 100_000) state.blockedUntil.clear();
  state.blockedUntil.set(ip, now + result.msBeforeNext);
}
