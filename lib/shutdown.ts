import { processSingleton } from "./process-singleton";

/**
 * Work a server must finish before it exits: the writes it buffers (usage counts,
 * lastUsedAt) would otherwise be lost on every deploy. Modules register a flush at import;
 * scripts/serve.mjs, which is not part of Next's bundles, runs them on SIGTERM and SIGINT
 * through the same process-wide symbol (keyport.shutdown), and exits non-zero, saying what
 * was lost, when one could not write.
 */
interface ShutdownHook {
  flush: () => Promise<void>;
  /** What is still buffered after the flush, in words, or null. */
  unwritten: () => string | null;
}

// By name: each of Next's bundles imports the buffers' modules and registers them again.
const hooks = processSingleton("shutdown-hooks", () => new Map<string, ShutdownHook>());

export function beforeShutdown(name: string, flush: () => Promise<void>, unwritten: () => string | null) {
  hooks.set(name, { flush, unwritten });
}

/**
 * Runs every registered flush once (one that fails does not keep the others from running)
 * and returns what could not be written, one line per buffer: empty when everything was.
 */
export async function runShutdownHooks(): Promise<string[]> {
  const entries = [...hooks.values()];
  await Promise.allSettled(entries.map((hook) => hook.flush()));
  return entries.map((hook) => hook.unwritten()).filter((line): line is string => line !== null);
}

processSingleton("shutdown", () => runShutdownHooks);
