import { db } from "../db";
import { flushSchedule } from "../flush-schedule";
import { processSingleton } from "../process-singleton";

/**
 * lastUsedAt is recorded at most once a minute per key and never on the response path:
 * uses are buffered and written every second, one UPDATE per second of use, so a burst of
 * 10,000 keys seen for the first time costs a few statements instead of 10,000 (each a
 * round trip that verification reads would queue behind on PostgreSQL's pool).
 */
const WRITE_INTERVAL_MS = 60_000;
const FLUSH_INTERVAL_MS = 1_000;
const FLUSH_AT_KEYS = 1_000;

const state = processSingleton("last-used-writes", () => ({
  /** keyId -> when this process last wrote (or queued) its lastUsedAt. */
  lastWritten: new Map<string, number>(),
  /** keyId -> the use to write. */
  pending: new Map<string, number>(),
}));
const schedule = flushSchedule("last-used", {
  intervalMs: FLUSH_INTERVAL_MS,
  write: writeKeyUses,
  unwritten: () => (state.pending.size ? `${state.pending.size} lastUsedAt stamps` : null),
});

export function recordKeyUse(keyId: string, now: number) {
  const previous = state.lastWritten.get(keyId);
  if (previous !== undefined && now - previous < WRITE_INTERVAL_MS) return;
  if (state.lastWritten.size > 100_000) state.lastWritten.clear();
  state.lastWritten.set(keyId, now);
  state.pending.set(keyId, now);
  if (state.pending.size >= FLUSH_AT_KEYS) schedule.full();
  else schedule.soon();
}

/** Writes the buffered uses, whatever the backoff; resolves when that was tried (tests call it; so does shutdown). */
export const flushKeyUses = () => schedule.now();

/** Failed writes in a row and when the next may run (tests read it). */
export const keyUseFlushStatus = () => schedule.status();

async function writeKeyUses(): Promise<boolean> {
  if (state.pending.size === 0) return true;
  const batch = state.pending;
  state.pending = new Map();
  // Uses within one second share a timestamp, so the batch is a statement or two.
  const keysBySecond = new Map<number, string[]>();
  for (const [keyId, at] of batch) {
    const second = Math.floor(at / 1_000) * 1_000;
    const ids = keysBySecond.get(second);
    if (ids) ids.push(keyId);
    else keysBySecond.set(second, [keyId]);
  }
  return db
    .$transaction(
      [...keysBySecond].map(([second, ids]) => db.apiKey.updateMany({ where: { id: { in: ids } }, data: { lastUsedAt: new Date(second) } })),
    )
    .then(
      () => true,
      () => {
        // The database is unreachable or refuses the write: keep the uses (a newer one
        // recorded meanwhile wins) for the next flush, which the schedule puts off further
        // after every failure; a shutdown that cannot write them says how many it lost.
        for (const [keyId, at] of batch) if (!state.pending.has(keyId)) state.pending.set(keyId, at);
        return false;
      },
    );
}
