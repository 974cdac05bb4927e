import { invalidate } from "../api-keys/key-events";
import { type AuditContext, writeAuditEvent } from "../audit";
import { db, type Db } from "../db";
import { env } from "../env";
import { enqueueMail } from "../mail/enqueue-mail";
import { notifyUser } from "../notifications/notify-user";
import { consumeVerificationResend } from "../rate-limit/account-mail-throttle";
import { consumeUserToken, issueUserToken, peekUserToken } from "./user-tokens";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * The path a mail's link opens. The route stores the token in a short-lived cookie and
 * redirects at once to /verify-email, whose clean URL is what the browser shows, keeps in
 * its history and could send as a Referer: the token is in one URL, once.
 */
export const VERIFY_LINK_PATH = "/verify-email/open";

/**
 * Queues the mail that proves `email` reaches the user, in the caller's transaction (the
 * sign-up's, or an email change's). `purpose` says which: a new account's address or the
 * new address of an email change.
 */
export async function queueVerificationMail(
  tx: Tx,
  user: { id: string; email: string },
  purpose: "verify_email" | "change_email" = "verify_email",
  now = new Date(),
): Promise<void> {
  const token = await issueUserToken(tx, { userId: user.id, purpose, email: user.email }, now);
  const url = `${VERIFY_LINK_PATH}?token=${token}`;
  if (purpose === "verify_email") {
    await enqueueMail(tx, user.email, "verify_email", {
      subject: "Verify your email address",
      heading: "Verify your email address",
      paragraphs: [
        `Confirm that ${user.email} is yours to finish setting up your Keyport account: until then you cannot create API keys.`,
        "The link works once, for 24 hours, and only while you are signed in to the account. If you did not sign up, someone used your address: ignore this mail, or take the account over with “Forgot password?” on the sign-in page.",
      ],
      action: { label: "Verify email address", url },
    });
  } else {
    await enqueueMail(tx, user.email, "change_email", {
      subject: "Confirm your new email address",
      heading: "Confirm your new email address",
      paragraphs: [
        `Someone (we hope you) asked to use ${user.email} for a Keyport account. The account's address changes only when you confirm.`,
        "The link works once, for 24 hours, and only while you are signed in to the account that asked. If this was not you, ignore this mail.",
      ],
      action: { label: "Confirm new email address", url },
    });
  }
}

export type EmailConfirmation =
  | { ok: true; purpose: "verify_email" | "change_email"; userId: string; email: string; promoted: boolean }
  | { ok: false; reason: "invalid" | "email_taken" | "sign_in_needed" };

const EMAIL_LINK_PURPOSES = ["verify_email", "change_email"] as const;

/**
 * Uses a verification link: marks the address verified (a sign-up's) or makes the new
 * address the account's (an email change's, after notifying the old address). ADMIN_EMAILS
 * promotes an address here and only here, once its owner has proved it. The link works
 * once: a second use, an expired or unknown token all answer "invalid".
 *
 * It works only in a browser signed in to the account it was sent for ("sign_in_needed"
 * otherwise, and the link stays usable). The mailbox proves the address; the session proves
 * the account. Without the second, anyone could sign up first with someone's address (or
 * move their own account to it) and wait for its owner to click the mail Keyport sent them:
 * the click would hand the squatter an account with a verified address, an admin one if
 * ADMIN_EMAILS names it. The owner of such an address takes it back with "Forgot password?".
 */
export async function confirmEmailToken(
  token: string,
  signedInUserId: string | null,
  context: Omit<AuditContext, "actorId">,
  now = new Date(),
): Promise<EmailConfirmation> {
  let outcome: EmailConfirmation;
  try {
    outcome = await db.$transaction(async (tx): Promise<EmailConfirmation> => {
      const link = await peekUserToken(tx, token, EMAIL_LINK_PURPOSES, now);
      if (!link) return { ok: false, reason: "invalid" };
      if (link.userId !== signedInUserId) return { ok: false, reason: "sign_in_needed" };
      const row = await consumeUserToken(tx, token, EMAIL_LINK_PURPOSES, now);
      if (!row) return { ok: false, reason: "invalid" };
      const user = await tx.user.findUnique({ where: { id: row.userId }, select: { id: true, email: true, role: true, deletedAt: true, disabledAt: true } });
      // A disabled account changes nothing through a link (as a reset link does nothing for it): an admin froze it.
      if (!user || user.deletedAt || user.disabledAt) return { ok: false, reason: "invalid" };
      const audit = { ...context, actorId: user.id };
      if (row.purpose === "verify_email") {
        // A link for an address the account no longer has proves nothing about the current one.
        if (user.email !== row.email) return { ok: false, reason: "invalid" };
        await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: now } });
        await writeAuditEvent(tx, "auth.email_verified", audit, { userId: user.id, details: { email: row.email } });
      } else {
        const taken = await tx.user.findUnique({ where: { email: row.email }, select: { id: true } });
        if (taken) return { ok: false, reason: "email_taken" };
        // Before the change, so the notice's mail goes to the address being replaced.
        await notifyUser(tx, user.id, emailChangedNotice(user.email, row.email));
        await tx.user.update({ where: { id: user.id }, data: { email: row.email, emailVerifiedAt: now } });
        await writeAuditEvent(tx, "auth.email_changed", audit, { userId: user.id, details: { from: user.email, to: row.email } });
      }
      const promoted = await promoteIfAdminEmail(tx, { id: user.id, role: user.role, email: row.email }, audit);
      return { ok: true, purpose: row.purpose as "verify_email" | "change_email", userId: user.id, email: row.email, promoted };
    });
  } catch (error) {
    // Another account took the address between the check and the write: the unique index decides.
    if ((error as { code?: string }).code === "P2002") return { ok: false, reason: "email_taken" };
    throw error;
  }
  // A role decides admin-only scopes at every verification: cached snapshots carry the old one.
  if (outcome.ok && outcome.promoted) invalidate({ kind: "owner", id: outcome.userId });
  return outcome;
}

function emailChangedNotice(oldEmail: string, newEmail: string) {
  return {
    kind: "email_changed",
    title: "Your email address changed",
    body: `Your account's email address is now ${newEmail}.`,
    href: "/account",
    mail: {
      subject: "Your email address changed",
      heading: "Your Keyport email address changed",
      paragraphs: [
        `The email address of your Keyport account changed from ${oldEmail} to ${newEmail}. Mail for the account now goes there.`,
        "If you did not make this change, someone may have your password: contact your Keyport administrator at once.",
      ],
      footer: "This is a security notice; it cannot be turned off.",
    },
  };
}

/**
 * ADMIN_EMAILS names addresses whose owners become admins, but only once the address is
 * proven: at verification (or at a GitHub sign-up whose address GitHub verified). The
 * session stays: roles are read fresh on every request, and a promotion takes nothing away.
 */
export async function promoteIfAdminEmail(tx: Tx, user: { id: string; role: string; email: string }, context: AuditContext): Promise<boolean> {
  if (user.role === "ADMIN" || !env.ADMIN_EMAILS.includes(user.email)) return false;
  await tx.user.update({ where: { id: user.id }, data: { role: "ADMIN" } });
  await writeAuditEvent(tx, "user.promoted", context, { userId: user.id, details: { from: "USER", to: "ADMIN", reason: "ADMIN_EMAILS" } });
  return true;
}

export type ResendOutcome = { ok: true } | { ok: false; reason: "already_verified" | "throttled"; retryAfterSeconds?: number };

/** "Resend" on the dashboard's banner: a fresh link (the older one stops working), a few an hour. */
export async function resendVerificationMail(userId: string, now = new Date()): Promise<ResendOutcome> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, emailVerifiedAt: true, deletedAt: true } });
  if (!user || user.deletedAt) return { ok: false, reason: "already_verified" };
  if (user.emailVerifiedAt) return { ok: false, reason: "already_verified" };
  try {
    await consumeVerificationResend(user.id);
  } catch (error) {
    const retryAfterSeconds = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
    if (retryAfterSeconds) return { ok: false, reason: "throttled", retryAfterSeconds };
    throw error;
  }
  await db.$transaction((tx) => queueVerificationMail(tx, user, "verify_email", now));
  return { ok: true };
}

/** Marks a user's address verified on an operator's word (CLI `users verify-email`), with the same promotion. */
export async function markEmailVerified(email: string, context: AuditContext, now = new Date()) {
  const outcome = await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true, email: true, role: true, emailVerifiedAt: true, deletedAt: true } });
    if (!user || user.deletedAt) return null;
    if (user.emailVerifiedAt) return { user, alreadyVerified: true, promoted: false };
    await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: now } });
    await writeAuditEvent(tx, "auth.email_verified", context, { userId: user.id, details: { email: user.email, by: "operator" } });
    // Verified outstanding links are spent: they would only verify it again.
    await tx.userToken.updateMany({ where: { userId: user.id, purpose: "verify_email", usedAt: null }, data: { usedAt: now } });
    const promoted = await promoteIfAdminEmail(tx, user, context);
    return { user, alreadyVerified: false, promoted };
  });
  if (outcome?.promoted) invalidate({ kind: "owner", id: outcome.user.id });
  return outcome;
}

/**
 * What a verification link is for, while it still works (the page names the address before
 * the click), and whether `signedInUserId` is the account it was sent for.
 */
export async function describeEmailLink(token: string, signedInUserId: string | null, now = new Date()) {
  const row = await peekUserToken(db, token, EMAIL_LINK_PURPOSES, now);
  return row ? { purpose: row.purpose as "verify_email" | "change_email", email: row.email, forSignedInAccount: row.userId === signedInUserId } : null;
}

/** Whether the dashboard shows the "verify your email" banner: verification is required and not done. */
export async function emailVerificationPending(userId: string): Promise<boolean> {
  if (!env.REQUIRE_EMAIL_VERIFICATION) return false;
  const user = await db.user.findUnique({ where: { id: userId }, select: { emailVerifiedAt: true } });
  return user !== null && user.emailVerifiedAt === null;
}
