import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import { env } from "../env";
import { createPrivateDir } from "../private-files";
import { processSingleton } from "../process-singleton";

/** One message as the outbox hands it over: already rendered (lib/mail/render-mail.ts). */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** What the message is about ("verify_email", "key_expiring"…): only for the log line. */
  kind?: string;
}

export interface MailTransport {
  /** "smtp" (a mail server) or "files" (.eml files under MAIL_DIR). */
  readonly mode: "smtp" | "files";
  /** Delivers one message or throws; resolves with where it went, fit for a log (no content). */
  send(mail: OutgoingMail): Promise<string>;
  close(): void;
}

export interface TransportOptions {
  /** smtp:// or smtps:// URL; unset, messages are written as files under `dir`. */
  smtpUrl?: string;
  from: string;
  dir: string;
  /** Where the one line per written file goes (console.log in the server). */
  log?: (line: string) => void;
}

/**
 * Timeouts bound every step of an SMTP delivery, so a mail server that hangs holds a worker
 * for at most about a minute and the message is retried later (the outbox never blocks a request).
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** Headers every message carries: automatic mail that auto-responders should not answer. */
const HEADERS = { "Auto-Submitted": "auto-generated" };

/**
 * Builds the transport: nodemailer over SMTP when smtpUrl is set, else .eml files (mode 0600
 * in a 0700 folder) that an operator opens with any mail client, with one log line per file
 * naming the file and the recipient and nothing of the content (it may carry a single-use link).
 */
export function createMailTransport(options: TransportOptions): MailTransport {
  if (options.smtpUrl) {
    const smtp = nodemailer.createTransport(options.smtpUrl, SMTP_TIMEOUTS);
    return {
      mode: "smtp",
      async send(mail) {
        const info = await smtp.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: HEADERS });
        return `${mail.to} via SMTP (${info.messageId})`;
      },
      close: () => smtp.close(),
    };
  }
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const log = options.log ?? ((line: string) => console.log(line));
  return {
    mode: "files",
    async send(mail) {
      const info = await composer.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: HEADERS });
      createPrivateDir(options.dir);
      // A name that sorts by time and says nothing of the message.
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const file = path.join(options.dir, `${stamp}-${randomBytes(4).toString("hex")}.eml`);
      writeFileSync(file, info.message as Buffer, { mode: 0o600, flag: "wx" });
      log(`[keyport] mail: ${mail.kind ?? "message"} for ${mail.to} written to ${file} (no SMTP_URL set)`);
      return `${mail.to} in ${file}`;
    },
    close: () => composer.close(),
  };
}

/** The server's transport, from SMTP_URL, MAIL_FROM and MAIL_DIR. */
export function mailTransport(): MailTransport {
  return processSingleton("mail-transport", () =>
    createMailTransport({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, dir: path.resolve(env.MAIL_DIR) }),
  );
}
