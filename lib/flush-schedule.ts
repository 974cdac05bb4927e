import { processSingleton } from "./process-singleton";
import { beforeShutdown } from "./shutdown";

/**
 * When a write-behind buffer (usage counts, lastUsedAt) goes to the database: `soon()` arms
 * one timer per interval, `now()` writes at once, and writes never overlap. `write` takes
 * whatever is buffered (nothing: it returns) and must not throw; on failure it puts back
 * what it wants retried. Registered for shutdown, so the buffer is written before exit.
 */
export function flushSchedule(name: string, intervalMs: number, write: () => Promise<void>) {
  const state = processSingleton(`flush-schedule:${name}`, () => ({
    timer: undefined as NodeJS.Timeout | undefined,
    writing: undefined as Promise<void> | undefined,
  }));

  /** Resolves when everything buffered before the call is written. */
  async function now(): Promise<void> {
    // Wait out every write in flight, however many started meanwhile: returning earlier
    // would let shutdown exit while one of them still writes.
    while (state.writing) await state.writing;
    state.writing = write().finally(() => {
      state.writing = undefined;
    });
    await state.writing;
  }

  function soon() {
    if (state.timer) return;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void now();
    }, intervalMs);
    state.timer.unref();
  }

  beforeShutdown(now);
  return { now, soon };
}
