import { env } from "./env";
import { processHolder, releaseLease } from "./leases";
import { onOutboxNudge } from "./mail/nudge";
import { deliverDueMail } from "./mail/outbox";
import { mailTransport, type MailTransport } from "./mail/transport";
import { REMINDER_LEASE, sendKeyReminders } from "./notifications/key-expiry-reminders";
import { processSingleton } from "./process-singleton";
import { beforeShutdown } from "./shutdown";

/**
 * The server's periodic work, every JOBS_INTERVAL_MS: send due mail from the outbox, then
 * key-expiry reminders (under a database lease, so one instance does them). Started by
 * instrumentation.ts in the server process only; tests start their own with a clock.
 * Runs never overlap; a failing run (the database is down) is retried on the next tick.
 */
export interface BackgroundJobs {
  /** Runs one pass now (or waits for the one in progress) and resolves when it is done. */
  runOnce(): Promise<void>;
  /** Asks for a pass soon (mail was just queued); several asks make one pass. */
  nudge(): void;
  /** Stops the timer, waits for a pass in progress, and gives up the reminder lease. */
  stop(): Promise<void>;
}

export interface JobOptions {
  intervalMs: number;
  transport: MailTransport;
  holder: string;
  now?: () => Date;
  /** Where a failed pass is reported (console.error in the server): one line, no message content. */
  report?: (line: string) => void;
}

export function startBackgroundJobs(options: JobOptions): BackgroundJobs {
  const now = options.now ?? (() => new Date());
  const report = options.report ?? ((line: string) => console.error(line));
  let running: Promise<void> | null = null;
  let stopped = false;
  let nudgeTimer: NodeJS.Timeout | null = null;

  async function pass() {
    try {
      const mail = await deliverDueMail({ transport: options.transport, now });
      if (mail.failed > 0) report(`[keyport] mail: ${mail.failed} message(s) could not be sent and will be retried${mail.gaveUp ? ` (${mail.gaveUp} given up after the last attempt)` : ""}`);
    } catch (error) {
      report(`[keyport] mail: the outbox could not be read (${(error as Error).message?.split("\n")[0]}); retrying in ${options.intervalMs} ms`);
    }
    if (stopped) return;
    try {
      // The lease outlives a tick, so the holder keeps it from one run to the next; if this
      // instance dies, another takes over once it runs out (a clean stop releases it at once).
      await sendKeyReminders({ holder: options.holder, leaseMs: 3 * options.intervalMs, now: now() });
    } catch (error) {
      report(`[keyport] reminders: the run failed (${(error as Error).message?.split("\n")[0]}); retrying in ${options.intervalMs} ms`);
    }
  }

  function runOnce(): Promise<void> {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  }

  const timer = setInterval(() => void runOnce(), options.intervalMs);
  timer.unref();

  return {
    runOnce,
    nudge() {
      if (stopped || nudgeTimer) return;
      // A short wait lets the transaction that queued the mail commit first.
      nudgeTimer = setTimeout(() => {
        nudgeTimer = null;
        void runOnce();
      }, 300);
      nudgeTimer.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (nudgeTimer) clearTimeout(nudgeTimer);
      await running;
      await releaseLease(REMINDER_LEASE, options.holder).catch(() => undefined);
      options.transport.close();
    },
  };
}

const server = processSingleton("background-jobs", () => ({ jobs: null as BackgroundJobs | null }));

/** Starts the server's jobs once per process (instrumentation.ts), and stops them on shutdown. */
export function startServerJobs(): BackgroundJobs {
  if (server.jobs) return server.jobs;
  const jobs = startBackgroundJobs({ intervalMs: env.JOBS_INTERVAL_MS, transport: mailTransport(), holder: processHolder });
  server.jobs = jobs;
  onOutboxNudge(() => jobs.nudge());
  beforeShutdown("background-jobs", () => jobs.stop(), () => null);
  void jobs.runOnce();
  return jobs;
}
