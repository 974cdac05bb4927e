import { db, Prisma } from "../db";
import { flushSchedule } from "../flush-schedule";
import { processSingleton } from "../process-singleton";

/**
 * Counts authenticated /api/v1 requests per key per hour by outcome, in memory, and
 * writes them in batches every few seconds: never a database write per request. A failed
 * flush puts its counts back, so a database hiccup delays numbers instead of losing them.
 * Counts are increments, so several instances flushing into the same rows add up.
 */
export type UsageOutcome = "success" | "clientError" | "rateLimited";

interface Counts {
  keyId: string;
  hour: Date;
  success: number;
  clientError: number;
  rateLimited: number;
}

const FLUSH_INTERVAL_MS = 2_000;
const FLUSH_AT_ENTRIES = 5_000;

export function outcomeOf(status: number): UsageOutcome | null {
  if (status === 429) return "rateLimited";
  if (status >= 200 && status < 300) return "success";
  if (status >= 400 && status < 500) return "clientError";
  return null;
}

function startOfHour(at: number) {
  return new Date(Math.floor(at / 3_600_000) * 3_600_000);
}

function add(into: Map<string, Counts>, counts: Counts) {
  const id = `${counts.keyId}|${counts.hour.getTime()}`;
  const existing = into.get(id);
  if (!existing) into.set(id, { ...counts });
  else {
    existing.success += counts.success;
    existing.clientError += counts.clientError;
    existing.rateLimited += counts.rateLimited;
  }
}


/** Rows per statement: 5 bound values each stays far below SQLite's and PostgreSQL's limits. */
const ROWS_PER_STATEMENT = 1_000;

/**
 * Adds a batch to the stored counts: one multi-row INSERT ... ON CONFLICT DO UPDATE per
 * thousand rows (the same SQL on SQLite and PostgreSQL), all in one transaction so a
 * failure stores none of it and the batch can be retried whole. A Prisma upsert per row
 * costs about 20 times as much: 5,000 rows took 1 to 2 s that way against 50 ms (SQLite)
 * and 2.3 s against 0.1 s (PostgreSQL) on a 2-core machine, more than the 2 s between flushes.
 */
async function addToStoredCounts(batch: Counts[]) {
  // Prisma's default 5 s would be too short for a backlog kept through a long outage.
  const limits = { maxWait: 10_000, timeout: 60_000 };
  await db.$transaction(async (tx) => {
    for (let offset = 0; offset < batch.length; offset += ROWS_PER_STATEMENT) {
      const rows = batch
        .slice(offset, offset + ROWS_PER_STATEMENT)
        .map((counts) => Prisma.sql`(${counts.keyId}, ${counts.hour}, ${counts.success}, ${counts.clientError}, ${counts.rateLimited})`);
      await tx.$executeRaw`
        INSERT INTO "KeyUsage" ("keyId", "hour", "success", "clientError", "rateLimited") VALUES ${Prisma.join(rows)}
        ON CONFLICT ("keyId", "hour") DO UPDATE SET
          "success" = "KeyUsage"."success" + excluded."success",
          "clientError" = "KeyUsage"."clientError" + excluded."clientError",
          "rateLimited" = "KeyUsage"."rateLimited" + excluded."rateLimited"`;
    }
  }, limits);
}

/** A raw statement fails as P2010 on both engines; the driver adapter's error kind says why. */
function isForeignKeyViolation(error: unknown) {
  const { meta } = error as { meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  return meta?.driverAdapterError?.cause?.kind === "ForeignKeyConstraintViolation";
}

/**
 * A usage buffer and its flush schedule. The server has one (below); tests make their own
 * with a clock of theirs. `name` keeps their state apart (process-wide, as every bundle shares it).
 */
export function usageRecorder(name = "usage", clock: () => number = Date.now) {
  const state = processSingleton(`usage-recorder:${name}`, () => ({ pending: new Map<string, Counts>() }));

  async function writeCounts(): Promise<boolean> {
    if (state.pending.size === 0) return true;
    const batch = [...state.pending.values()];
    state.pending = new Map();
    return addToStoredCounts(batch)
      .catch(async (error: unknown) => {
        if (!isForeignKeyViolation(error)) throw error;
        // A key deleted since it was counted (only by hand: Keyport revokes, never deletes)
        // would fail every retry: drop its counts and keep everyone else's.
        const ids = [...new Set(batch.map((counts) => counts.keyId))];
        const existing = new Set((await db.apiKey.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((key) => key.id));
        await addToStoredCounts(batch.filter((counts) => existing.has(counts.keyId)));
      })
      .then(
        () => true,
        () => {
          // The database is unreachable or refuses the write: keep the counts for the next
          // flush, which the schedule puts off further after every failure.
          for (const counts of batch) add(state.pending, counts);
          return false;
        },
      );
  }

  function unwritten(): string | null {
    if (state.pending.size === 0) return null;
    let requests = 0;
    for (const counts of state.pending.values()) requests += counts.success + counts.clientError + counts.rateLimited;
    return `${state.pending.size} usage rows (${requests} requests counted, not stored)`;
  }

  const schedule = flushSchedule(name, { intervalMs: FLUSH_INTERVAL_MS, write: writeCounts, unwritten, clock });

  return {
    /** Records one request of a key; cheap enough for the hot path (a Map update). */
    record(keyId: string, status: number, at = clock()) {
      const outcome = outcomeOf(status);
      if (!outcome) return;
      add(state.pending, { keyId, hour: startOfHour(at), success: 0, clientError: 0, rateLimited: 0, [outcome]: 1 });
      if (state.pending.size >= FLUSH_AT_ENTRIES) schedule.full();
      else schedule.soon();
    },
    /** Writes everything counted so far, whatever the backoff; resolves when it was tried. */
    flush: () => schedule.now(),
    unwritten,
    schedule,
  };
}

const recorder = usageRecorder();

/** Records one request of a key; cheap enough for the hot path (a Map update). */
export const recordUsage = recorder.record;

/** Writes everything counted so far; resolves when it was tried (tests call it; so does shutdown). */
export const flushUsage = recorder.flush;
