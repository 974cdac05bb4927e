import { processSingleton } from "../process-singleton";
import { verificationCache } from "./verification-cache";

/**
 * Invalidation in this process, plus any listener that carries it further (the Redis
 * pub/sub broadcaster registers here in scale-out mode, so other instances drop the key too).
 */
export type KeyInvalidation = { kind: "key"; id: string } | { kind: "owner"; id: string } | { kind: "team"; id: string } | { kind: "all" };

type Listener = (event: KeyInvalidation) => void;
const listeners = processSingleton("key-invalidation-listeners", () => new Set<Listener>());

export function onKeyInvalidation(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Applies an invalidation locally without telling listeners (used for ones received from elsewhere). */
export function applyInvalidation(event: KeyInvalidation) {
  if (event.kind === "key") verificationCache.invalidateKey(event.id);
  else if (event.kind === "owner") verificationCache.invalidateOwner(event.id);
  else if (event.kind === "team") verificationCache.invalidateTeam(event.id);
  else verificationCache.clear();
}

/** Invalidates here at once, then tells every listener. */
export function invalidate(event: KeyInvalidation) {
  applyInvalidation(event);
  for (const listener of listeners) {
    try {
      listener(event);
    } catch {
      // A broadcaster failing must never fail the revoke that triggered it.
    }
  }
}
