// Reads the mail the e2e server's SMTP sink received (scripts/e2e-server.ts starts it and
// writes each message to E2E_MAILBOX_DIR, which playwright.config.ts chooses).
import { expect } from "@playwright/test";
import { type MailQuery, mailMatches, type ReceivedMail, readMailDir } from "../fixtures/smtp-sink";

export { linkIn } from "../fixtures/smtp-sink";

function mailboxDir(): string {
  const dir = process.env.E2E_MAILBOX_DIR;
  if (!dir) throw new Error("E2E_MAILBOX_DIR is not set (playwright.config.ts sets it)");
  return dir;
}

/** Every message received so far that matches, oldest first. */
export function mailsFor(query: MailQuery): ReceivedMail[] {
  return readMailDir(mailboxDir()).filter((mail) => mailMatches(mail, query));
}

/** Waits (polling the sink's folder) for the newest message that matches. */
export async function waitForMail(query: MailQuery, timeoutMs = 20_000): Promise<ReceivedMail> {
  let found: ReceivedMail | undefined;
  await expect
    .poll(() => {
      found = mailsFor(query).at(-1);
      return Boolean(found);
    }, { timeout: timeoutMs, message: `a mail matching ${JSON.stringify({ ...query, subject: String(query.subject ?? "") })}` })
    .toBe(true);
  return found!;
}
