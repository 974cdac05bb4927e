import { processSingleton } from "./process-singleton";

/**
 * Work a server must finish before it exits: the writes it buffers (usage counts,
 * lastUsedAt) would otherwise be lost on every deploy. Modules register a flush at import;
 * scripts/serve.mjs, which is not part of Next's bundles, runs them on SIGTERM and SIGINT
 * through the same process-wide symbol (keyport.shutdown).
 */
const hooks = processSingleton("shutdown-hooks", () => new Set<() => Promise<void>>());

export function beforeShutdown(flush: () => Promise<void>) {
  hooks.add(flush);
}

/** Runs every registered flush once; one that fails does not keep the others from running. */
export async function runShutdownHooks(): Promise<void> {
  await Promise.allSettled([...hooks].map((flush) => flush()));
}

processSingleton("shutdown", () => runShutdownHooks);
