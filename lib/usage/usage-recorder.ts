import { db } from "../db";
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

const state = processSingleton("usage-recorder", () => ({
  pending: new Map<string, Counts>(),
  timer: undefined as NodeJS.Timeout | undefined,
  flushing: undefined as Promise<void> | undefined,
}));

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

/** Records one request of a key; cheap enough for the hot path (a Map update). */
export function recordUsage(keyId: string, status: number, at = Date.now()) {
  const outcome = outcomeOf(status);
  if (!outcome) return;
  add(state.pending, { keyId, hour: startOfHour(at), success: 0, clientError: 0, rateLimited: 0, [outcome]: 1 });
  if (state.pending.size >= FLUSH_AT_ENTRIES) void flushUsage();
  else if (!state.timer) {
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void flushUsage();
    }, FLUSH_INTERVAL_MS);
    state.timer.unref();
  }
}

/** Writes everything counted so far; resolves when it is stored (tests and shutdown call it). */
export async function flushUsage(): Promise<void> {
  if (state.flushing) await state.flushing;
  if (state.pending.size === 0) return;
  const batch = [...state.pending.values()];
  state.pending = new Map();
  state.flushing = db
    .$transaction(
      batch.map((counts) =>
        db.keyUsage.upsert({
          where: { keyId_hour: { keyId: counts.keyId, hour: counts.hour } },
          create: counts,
          update: {
            success: { increment: counts.success },
            clientError: { increment: counts.clientError },
            rateLimited: { increment: counts.rateLimited },
          },
        }),
      ),
    )
    .then(() => undefined)
    .catch((error: unknown) => {
      // A deleted key's counts would fail forever; anything else is retried next flush.
      if ((error as { code?: string }).code === "P2003") return;
      for (const counts of batch) add(state.pending, counts);
    })
    .finally(() => {
      state.flushing = undefined;
    });
  await state.flushing;
}
