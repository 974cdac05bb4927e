import type { Db } from "../db";
import { nudgeOutbox } from "./nudge";
import { type MailContent, renderMail } from "./render-mail";

type Tx = Pick<Db, "outboxMessage">;

/**
 * Queues one message in the outbox. Call it with the transaction client of the change the
 * mail tells about, so the change and its mail commit together; the outbox worker
 * (lib/mail/outbox.ts) sends it off the request path, with retries.
 */
export async function enqueueMail(tx: Tx, to: string, kind: string, content: MailContent) {
  const rendered = renderMail(content);
  const row = await tx.outboxMessage.create({
    data: { to, kind, subject: rendered.subject, text: rendered.text, html: rendered.html },
    select: { id: true },
  });
  // Best effort: the worker looks shortly after (the caller's transaction should have
  // committed by then); if not, its next tick sends the message.
  nudgeOutbox();
  return row;
}
