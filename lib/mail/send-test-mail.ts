import { z } from "zod";
import { env } from "../env";
import { renderMail } from "./render-mail";
import { mailTransport, type MailTransport } from "./transport";

/** Where mail goes, for an operator: the SMTP server's host and port (never its credentials), or the folder. */
export function describeMailDestination(): string {
  if (!env.SMTP_URL) return `.eml files in ${env.MAIL_DIR} (SMTP_URL is not set)`;
  const url = new URL(env.SMTP_URL);
  return `${url.protocol}//${url.host}`;
}

/**
 * Sends one test message straight through the configured transport, not through the
 * outbox, so the operator learns at once whether delivery works. Throws what the mail
 * server answered when it does not.
 */
export async function sendTestMail(to: string, transport: MailTransport = mailTransport()): Promise<string> {
  const address = z.email("That is not an email address.").parse(to.trim());
  const rendered = renderMail({
    subject: "Test message",
    heading: "Mail from Keyport works",
    paragraphs: [`This test message was sent by \`keyport mail test\` through ${describeMailDestination()}.`],
    action: { label: "Open Keyport", url: "/dashboard" },
  });
  try {
    return await transport.send({ to: address, kind: "mail_test", ...rendered });
  } finally {
    transport.close();
  }
}
