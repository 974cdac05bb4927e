import { db as defaultDb, type Db } from "../db";
import type { MailTransport } from "./transport";

/**
 * The outbox worker: sends the OutboxMessage rows that requests inserted (lib/mail/enqueue-mail.ts).
 * A request never waits for a mail server; a server that is down loses nothing (the row
 * stays and is retried with backoff) and delays nothing (no request sends).
 *
 * Several instances may run this at once. Each row is claimed with one conditional update
 * (lockedUntil in the future), so only one instance sends a message; a claim by an instance
 * that died runs out after CLAIM_MS and the row is tried again.
 */

/** How long a claim holds a row: far above one delivery's bounded SMTP timeouts (lib/mail/transport.ts). */
export const CLAIM_MS = 5 * 60_000;
/** Tries before a message is given up on (failedAt). */
export const MAX_ATTEMPTS = 12;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60_000;
/** Rows claimed per pass; the next pass takes the next ones. */
const BATCH = 20;

/** The wait after the n-th failed attempt (1-based): 30 s, 1 min, 2 min… at most an hour (about 6 h in all). */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), MAX_RETRY_MS);
}

/**
 * What is kept of a failure: the error's code and first line, cut short, with any credentials
 * of a URL removed (a mail server's answer names the failure, never the message's content).
 */
export function describeSendError(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const firstLine = String(message ?? error).split("\n")[0]!;
  const text = `${typeof code === "string" ? `${code}: ` : ""}${firstLine}`.replace(/\/\/[^/@\s]*@/g, "//");
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

export interface OutboxRun {
  sent: number;
  failed: number;
  /** Messages given up on in this pass (failedAt set). */
  gaveUp: number;
}

function dueWhere(now: Date) {
  return {
    sentAt: null,
    failedAt: null,
    nextAttemptAt: { lte: now },
    OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }],
  };
}

/**
 * One pass: claims up to `batch` due messages, sends each, and records the outcome. A sent
 * message's text and HTML are erased (they may carry a single-use link); a failed one is
 * retried after retryDelayMs, and given up on after MAX_ATTEMPTS.
 */
export async function deliverDueMail(options: { transport: MailTransport; now?: () => Date; db?: Db; batch?: number }): Promise<OutboxRun> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? (() => new Date());
  const run: OutboxRun = { sent: 0, failed: 0, gaveUp: 0 };
  const started = now();
  const candidates = await db.outboxMessage.findMany({
    where: dueWhere(started),
    orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
    select: { id: true },
    take: options.batch ?? BATCH,
  });
  for (const { id } of candidates) {
    const claimedAt = now();
    // The claim: of two workers that read the same row, the update matches for one only.
    const { count } = await db.outboxMessage.updateMany({
      where: { id, ...dueWhere(claimedAt) },
      data: { lockedUntil: new Date(claimedAt.getTime() + CLAIM_MS), attempts: { increment: 1 } },
    });
    if (count === 0) continue;
    const message = await db.outboxMessage.findUniqueOrThrow({
      where: { id },
      select: { to: true, subject: true, text: true, html: true, kind: true, attempts: true },
    });
    try {
      await options.transport.send(message);
    } catch (error) {
      const failedAt = now();
      const giveUp = message.attempts >= MAX_ATTEMPTS;
      await db.outboxMessage.update({
        where: { id },
        data: {
          lockedUntil: null,
          lastError: describeSendError(error),
          ...(giveUp ? { failedAt, text: "", html: "" } : { nextAttemptAt: new Date(failedAt.getTime() + retryDelayMs(message.attempts)) }),
        },
      });
      run.failed++;
      if (giveUp) run.gaveUp++;
      continue;
    }
    await db.outboxMessage.update({
      where: { id },
      data: { sentAt: now(), lockedUntil: null, lastError: null, text: "", html: "" },
    });
    run.sent++;
  }
  return run;
}
