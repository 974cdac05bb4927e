import { processSingleton } from "../process-singleton";

/**
 * A way for code that queues mail to ask this process's outbox worker (lib/background-jobs.ts)
 * to run soon instead of at its next tick, without importing it. A no-op where no worker
 * runs (tests, the CLI): the message waits in the outbox for whoever sends it.
 */
const hook = processSingleton("mail-nudge", () => ({ nudge: null as (() => void) | null }));

export function onOutboxNudge(nudge: (() => void) | null): void {
  hook.nudge = nudge;
}

export function nudgeOutbox(): void {
  hook.nudge?.();
}
