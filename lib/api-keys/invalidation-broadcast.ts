import { randomUUID } from "node:crypto";
import { env } from "../env";
import { processSingleton } from "../process-singleton";
import { createRedisConnection, redis } from "../redis";
import { applyInvalidation, type KeyInvalidation, onKeyInvalidation } from "./key-events";
import { verificationCache } from "./verification-cache";

/**
 * Scale-out revocation: every invalidation made here is published on a Redis channel and
 * every instance applies what the others publish, so a revoke through instance A stops
 * the key on instance B within the pub/sub delay (milliseconds), not the cache TTL.
 *
 * Pub/sub delivers only to connected subscribers. When this instance's subscription drops
 * it may miss messages, so on reconnecting it clears its whole cache: the worst case is
 * then bounded by KEY_CACHE_TTL_MS while Redis is away, never longer.
 */
export const INVALIDATION_CHANNEL = "keyport:key-invalidation";

const state = processSingleton("invalidation-broadcast", () => ({ started: false, instanceId: randomUUID() }));

/** Starts publishing and subscribing once per process; a no-op without REDIS_URL. */
export function startInvalidationBroadcast() {
  if (state.started || !env.REDIS_URL) return;
  state.started = true;

  const subscriber = createRedisConnection("revocation subscriber");
  let wasConnected = false;
  subscriber.on("ready", () => {
    // Messages published while we were away are lost; drop anything that may be stale.
    if (wasConnected) verificationCache.clear();
    wasConnected = true;
    // Subscribe on every (re)connect: the connection has no offline queue, so a subscribe
    // sent before it is ready would fail rather than wait.
    subscriber.subscribe(INVALIDATION_CHANNEL).catch(() => {
      // Reported by the connection's own outage warning; retried on the next reconnect.
    });
  });
  subscriber.on("message", (_channel: string, message: string) => {
    try {
      const { origin, event } = JSON.parse(message) as { origin: string; event: KeyInvalidation };
      if (origin !== state.instanceId) applyInvalidation(event);
    } catch {
      // A message we cannot read is ignored; the TTL still bounds staleness.
    }
  });

  onKeyInvalidation((event) => {
    redis()
      ?.publish(INVALIDATION_CHANNEL, JSON.stringify({ origin: state.instanceId, event }))
      .catch(() => {
        // Redis is away: other instances fall back to the cache TTL (documented bound).
      });
  });
}
