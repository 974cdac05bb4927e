import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { enqueueMail } from "../mail/enqueue-mail";
import { consumeEmailChange } from "../rate-limit/account-mail-throttle";
import { checkCurrentPassword } from "./current-password";
import { queueVerificationMail } from "./verify-email";

export type EmailChangeRequest =
  | { ok: true }
  | { ok: false; field: "email" | "password"; reason: "same_email" | "wrong_password" | "throttled"; retryAfterSeconds?: number };

/** What the account page says after a request, whether or not the new address already has an account. */
export const EMAIL_CHANGE_SENT_MESSAGE = "We sent a link to the new address. Your email changes when you open it (within 24 hours).";

/**
 * Starts an email change: a link to the NEW address (the address changes only when it is
 * used, see confirmEmailToken), after the current password for accounts that have one.
 * An address that already has an account gets a mail saying so instead of a link, and the
 * page answers the same either way, so the form cannot be used to find out who has an account.
 */
export async function requestEmailChange(
  input: { userId: string; newEmail: string; password?: string },
  context: AuditContext,
  now = new Date(),
): Promise<EmailChangeRequest> {
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, passwordHash: true } });
  if (!user) return { ok: false, field: "email", reason: "same_email" };
  if (user.email === input.newEmail) return { ok: false, field: "email", reason: "same_email" };
  if (user.passwordHash) {
    const check = await checkCurrentPassword(user, input.password ?? "", context);
    if (check !== "ok") return { ok: false, field: "password", reason: check };
  }
  try {
    await consumeEmailChange(user.id, input.newEmail);
  } catch (error) {
    const retryAfterSeconds = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
    if (retryAfterSeconds) return { ok: false, field: "email", reason: "throttled", retryAfterSeconds };
    throw error;
  }
  await db.$transaction(async (tx) => {
    const taken = await tx.user.findUnique({ where: { email: input.newEmail }, select: { id: true } });
    if (taken) {
      await enqueueMail(tx, input.newEmail, "change_email_taken", {
        subject: "This address already has an account",
        heading: "This address already has a Keyport account",
        paragraphs: [
          `Someone asked to move another Keyport account to ${input.newEmail}, but this address already has an account of its own, so nothing changed.`,
          "If you want to use this address on the other account, delete this one first (or ask your administrator).",
        ],
      });
    } else {
      await queueVerificationMail(tx, { id: user.id, email: input.newEmail }, "change_email", now);
    }
    await writeAuditEvent(tx, "auth.email_change_requested", context, { userId: user.id, details: { from: user.email, to: input.newEmail } });
  });
  return { ok: true };
}
