import { db } from "../db";
import { processSingleton } from "../process-singleton";

/** lastUsedAt is written at most once a minute per key, and never on the response path. */
const WRITE_INTERVAL_MS = 60_000;
const lastWritten = processSingleton("last-used-writes", () => new Map<string, number>());

export function recordKeyUse(keyId: string, now: number) {
  const previous = lastWritten.get(keyId);
  if (previous !== undefined && now - previous < WRITE_INTERVAL_MS) return;
  lastWritten.set(keyId, now);
  if (lastWritten.size > 100_000) lastWritten.clear();
  // setImmediate lets the response go out first; a failed write only loses a timestamp.
  setImmediate(() => {
    db.apiKey.update({ where: { id: keyId }, data: { lastUsedAt: new Date(now) } }).catch(() => {
      lastWritten.delete(keyId);
    });
  });
}
