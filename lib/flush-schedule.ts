import { processSingleton } from "./process-singleton";
import { beforeShutdown } from "./shutdown";

export interface FlushScheduleOptions {
  /** How long after the first buffered item a write runs. */
  intervalMs: number;
  /**
   * Takes whatever is buffered and writes it: true when it is stored (or there was nothing),
   * false when the write failed and it put back what it wants retried. Must not throw.
   */
  write: () => Promise<boolean>;
  /** What is still buffered, in words ("3 usage counts"), or null when nothing is: what a failed shutdown lost. */
  unwritten: () => string | null;
  /** The longest wait between attempts while the database keeps failing. */
  maxBackoffMs?: number;
  /** Milliseconds now; tests pass their own. */
  clock?: () => number;
}

/**
 * When a write-behind buffer (usage counts, lastUsedAt) goes to the database: `soon()` arms
 * one timer, `full()` writes at once (the buffer is large), `now()` writes whatever the state,
 * and writes never overlap. After a failed write the next attempt waits, doubling from
 * 2 × intervalMs up to maxBackoffMs, however many requests arrive meanwhile: a database that
 * is down is not asked again on every request, and its buffers keep their contents for when
 * it is back. Registered for shutdown, which writes whatever the backoff says and reports
 * what it could not write.
 */
export function flushSchedule(name: string, options: FlushScheduleOptions) {
  const { intervalMs, write, unwritten, maxBackoffMs = 60_000, clock = Date.now } = options;
  const state = processSingleton(`flush-schedule:${name}`, () => ({
    timer: undefined as NodeJS.Timeout | undefined,
    writing: undefined as Promise<void> | undefined,
    /** Failed writes in a row. */
    failures: 0,
    /** No attempt before this (clock ms) unless forced. */
    retryAt: 0,
    /** Writes started, for tests and logs. */
    attempts: 0,
  }));

  const backoffMs = (failures: number) => Math.min(maxBackoffMs, intervalMs * 2 ** failures);

  async function attempt(): Promise<void> {
    state.attempts++;
    const stored = await write();
    if (stored) {
      state.failures = 0;
      state.retryAt = 0;
      return;
    }
    state.failures++;
    state.retryAt = clock() + backoffMs(state.failures);
    soon();
  }

  /** Writes now, whatever the backoff, and resolves when everything buffered before the call was tried. */
  async function now(): Promise<void> {
    // Wait out every write in flight, however many started meanwhile: returning earlier
    // would let shutdown exit while one of them still writes.
    while (state.writing) await state.writing;
    state.writing = attempt().finally(() => {
      state.writing = undefined;
    });
    await state.writing;
  }

  /** Writes if the backoff allows it now; otherwise makes sure the timer will. Returns whether it wrote. */
  async function ifDue(): Promise<boolean> {
    if (state.writing || clock() < state.retryAt) {
      soon();
      return false;
    }
    await now();
    return true;
  }

  function soon() {
    if (state.timer) return;
    const delay = Math.max(intervalMs, state.retryAt - clock());
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void ifDue();
    }, delay);
    state.timer.unref();
  }

  /** The buffer is large: write at once, unless the database failed a moment ago. */
  function full() {
    void ifDue();
  }

  beforeShutdown(name, now, unwritten);
  return {
    now,
    soon,
    full,
    ifDue,
    /** Failed writes in a row, when the next attempt may run, and how many have run. */
    status: () => ({ failures: state.failures, retryAt: state.retryAt, attempts: state.attempts }),
  };
}
