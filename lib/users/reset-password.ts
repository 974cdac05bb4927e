import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { enqueueMail } from "../mail/enqueue-mail";
import { portalUrl } from "../mail/render-mail";
import { notifyUser } from "../notifications/notify-user";
import { hashPassword } from "../passwords";
import { revokeUserSessions } from "../sessions/revoke-sessions";
import { clearUnprovenSecondFactor } from "../two-factor/manage-two-factor";
import { fitsBcrypt } from "../validations/auth";
import { checkCurrentPassword } from "./current-password";
import { consumeUserToken, issueUserToken, peekUserToken, SIGN_IN_CHALLENGE_PURPOSE } from "./user-tokens";

/** The path a reset mail's link opens; like the verification link, it moves the token into a cookie at once. */
export const RESET_LINK_PATH = "/reset-password/open";

/** The same words whether or not the address has an account (the forgot-password form's only answer). */
export const RESET_REQUESTED_MESSAGE =
  "If an account uses that address, we have sent it a link to choose a new password. The link works once, for 30 minutes.";

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

async function issueResetLink(tx: Tx, user: { id: string; email: string }, now: Date) {
  const token = await issueUserToken(tx, { userId: user.id, purpose: "reset_password", email: user.email }, now);
  return `${RESET_LINK_PATH}?token=${token}`;
}

/**
 * A "forgot password" request for an address (already normalized). With an account, a reset
 * link is mailed to it; without one, nothing is sent. The caller answers
 * RESET_REQUESTED_MESSAGE either way, after throttling per IP and per address, and runs
 * this after its response (next/server `after`), so the answer's timing cannot tell either.
 */
export async function requestPasswordReset(email: string, context: Omit<AuditContext, "actorId">, now = new Date()): Promise<void> {
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email }, select: { id: true, email: true, deletedAt: true, disabledAt: true } });
    if (!user || user.deletedAt || user.disabledAt) return;
    const url = await issueResetLink(tx, user, now);
    await enqueueMail(tx, user.email, "reset_password", {
      subject: "Reset your password",
      heading: "Choose a new password",
      paragraphs: [
        `Someone (we hope you) asked to reset the password of the Keyport account ${user.email}.`,
        "The link works once, for 30 minutes. Choosing a new password signs out every browser signed in to the account.",
        "If this was not you, ignore this mail: your password stays as it is.",
      ],
      action: { label: "Choose a new password", url },
    });
    await writeAuditEvent(tx, "auth.password_reset_requested", { ...context, actorId: null }, { userId: user.id, details: { via: "email" } });
  });
}

/**
 * A reset link for an operator to hand over (CLI `users reset-password`): returned once,
 * never logged, never mailed. Null for an unknown or deleted address.
 */
export async function createPasswordResetLink(email: string, context: AuditContext, now = new Date()): Promise<string | null> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true, email: true, deletedAt: true } });
    if (!user || user.deletedAt) return null;
    const path = await issueResetLink(tx, user, now);
    await writeAuditEvent(tx, "auth.password_reset_requested", context, { userId: user.id, details: { via: "operator" } });
    return portalUrl(path);
  });
}

/** Whether a reset token still works (the reset page shows the form only then); it is not used up. */
export async function resetTokenEmail(token: string, now = new Date()): Promise<string | null> {
  return (await peekUserToken(db, token, ["reset_password"], now))?.email ?? null;
}

function passwordNotice(kind: "password_reset" | "password_changed", email: string) {
  const reset = kind === "password_reset";
  return {
    kind,
    title: reset ? "Your password was reset" : "Your password changed",
    body: reset ? "Your password was reset with a link from your mail, and every session was signed out." : "Your password changed, and every other session was signed out.",
    href: "/dashboard/sessions",
    mail: {
      subject: reset ? "Your password was reset" : "Your password changed",
      heading: reset ? "Your Keyport password was reset" : "Your Keyport password changed",
      paragraphs: [
        `The password of the Keyport account ${email} ${reset ? "was reset with a link sent to this address" : "was changed from the account page"}. ${reset ? "Every browser" : "Every other browser"} signed in to it was signed out.`,
        "If this was not you, reset your password at once and contact your Keyport administrator.",
      ],
      action: { label: "Reset your password", url: "/forgot-password" },
      footer: "This is a security notice; it cannot be turned off.",
    },
  };
}

/**
 * What a new password voids besides sessions: every link and sign-in challenge issued
 * before it that could move the account to another address, set its password, or finish a
 * sign-in. Whoever asked for them may be whoever the new password is meant to shut out: an
 * address's earlier holder (someone who signed up with it before its owner did, a
 * "pre-hijacked" account) could otherwise confirm an email change they asked for, days
 * after the owner took the account over with a reset. Verification links stay: they only
 * prove the current address, which is the owner's.
 */
async function voidLinksIssuedBefore(tx: Tx, userId: string, now: Date) {
  await tx.userToken.updateMany({
    where: { userId, usedAt: null, purpose: { in: ["change_email", "reset_password", SIGN_IN_CHALLENGE_PURPOSE] } },
    data: { usedAt: now },
  });
}

/**
 * Sets a new password with a reset link's token (the password already passed
 * newPasswordSchema). Uses the token up, voids the links issued before it
 * (voidLinksIssuedBefore), ends EVERY session of the account (whoever asked
 * for the reset may not be whoever is signed in), audits it and sends a security notice,
 * all in one transaction. A reset also repairs an account whose old password was longer
 * than bcrypt's 72 bytes and so can no longer sign in. False: the link does not work.
 */
export async function resetPassword(token: string, password: string, context: Omit<AuditContext, "actorId">, now = new Date()): Promise<boolean> {
  if (!fitsBcrypt(password)) return false;
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    const row = await consumeUserToken(tx, token, ["reset_password"], now);
    if (!row) return false;
    const user = await tx.user.findUnique({ where: { id: row.userId }, select: { id: true, email: true, deletedAt: true, disabledAt: true, emailVerifiedAt: true, totpEnabledAt: true } });
    if (!user || user.deletedAt || user.disabledAt || user.email !== row.email) return false;
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await voidLinksIssuedBefore(tx, user.id, now);
    await clearUnprovenSecondFactor(tx, user, { ...context, actorId: user.id });
    const ended = await revokeUserSessions(user.id, undefined, tx, now);
    await writeAuditEvent(tx, "auth.password_reset", { ...context, actorId: user.id }, { userId: user.id, details: { sessionsEnded: ended } });
    await notifyUser(tx, user.id, passwordNotice("password_reset", user.email));
    return true;
  });
}

export type PasswordChange = { ok: true; sessionsEnded: number } | { ok: false; reason: "wrong_password" | "no_password" | "throttled" };

/**
 * Changes the password of a signed-in user who typed the current one. Pending email-change
 * and reset links and sign-in challenges stop working (voidLinksIssuedBefore); every other session
 * ends (the one making the change stays signed in), audited, with a security notice.
 */
export async function changePassword(
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string },
  context: AuditContext,
  now = new Date(),
): Promise<PasswordChange> {
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, passwordHash: true } });
  if (!user?.passwordHash) return { ok: false, reason: "no_password" };
  const check = await checkCurrentPassword(user, input.currentPassword, context);
  if (check !== "ok") return { ok: false, reason: check };
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    // Conditional on the hash just checked, so two changes racing cannot both pass on one old password.
    const { count } = await tx.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash } });
    if (count === 0) return { ok: false, reason: "wrong_password" } as const;
    await voidLinksIssuedBefore(tx, user.id, now);
    const ended = await revokeUserSessions(user.id, input.sessionId, tx, now);
    await writeAuditEvent(tx, "auth.password_changed", context, { userId: user.id, details: { sessionsEnded: ended } });
    await notifyUser(tx, user.id, passwordNotice("password_changed", user.email));
    return { ok: true, sessionsEnded: ended } as const;
  });
}
