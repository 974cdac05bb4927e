import Redis from "ioredis";
import { env } from "./env";
import { processSingleton } from "./process-singleton";

/**
 * Redis connections for scale-out mode (REDIS_URL set); null in the embedded mode.
 * Commands fail fast while Redis is away (no offline queue) so callers fall back to
 * their in-process path at once, and ioredis keeps reconnecting so shared mode resumes
 * by itself. Each outage is logged once, not once per request.
 */
const state = processSingleton("redis", () => ({ commandClient: undefined as Redis | null | undefined, reachable: true }));

function watch(client: Redis, role: string) {
  client.on("error", () => {
    // Reported once per outage by the "close" handler below.
  });
  client.on("close", () => {
    if (state.reachable) {
      state.reachable = false;
      console.warn(
        `[keyport] Redis at ${redactUrl(env.REDIS_URL!)} is unreachable (${role}): rate limits are per instance and revocations rely on the cache TTL until it returns.`,
      );
    }
  });
  client.on("ready", () => {
    if (!state.reachable) {
      state.reachable = true;
      console.warn(`[keyport] Redis is reachable again (${role}): shared rate limits and revocation broadcasts resumed.`);
    }
  });
}

function redactUrl(url: string) {
  return url.replace(/\/\/[^@/]*@/, "//…@");
}

export function createRedisConnection(role: string): Redis {
  const client = new Redis(env.REDIS_URL!, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(200 * attempt, 1_000),
    lazyConnect: false,
  });
  watch(client, role);
  return client;
}

/** The shared command connection, or null without REDIS_URL. */
export function redis(): Redis | null {
  if (state.commandClient === undefined) state.commandClient = env.REDIS_URL ? createRedisConnection("commands") : null;
  return state.commandClient;
}

export function isRedisReachable() {
  return Boolean(env.REDIS_URL) && state.reachable && state.commandClient?.status === "ready";
}
