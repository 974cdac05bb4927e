import QRCode from "qrcode";
import { AdminError } from "../admin/errors";
import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { type Notice, notifyUser } from "../notifications/notify-user";
import { refundSecondFactorAttempt, SIGN_IN_THROTTLE_WINDOW_SECONDS } from "../rate-limit/sign-in-throttle";
import { revokeUserSessions } from "../sessions/revoke-sessions";
import { checkCurrentPassword } from "../users/current-password";
import { SIGN_IN_CHALLENGE_PURPOSE } from "../users/user-tokens";
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes } from "./recovery-codes";
import { encryptTotpSecret, spendSecondFactor, takeSecondFactorAttempt } from "./second-factor";
import { seal, unseal } from "./secret-box";
import { looksLikeTotpCode, matchTotpCode, newTotpSecret, totpUri } from "./totp";

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/** How long an enrollment page stays usable: the secret it shows is kept nowhere but in its form. */
export const ENROLLMENT_TTL_MS = 15 * 60_000;
const ENROLLMENT_PURPOSE = "totp-enrollment";

export interface TwoFactorStatus {
  enabled: boolean;
  /** Whether the account has a password, which turning two-factor on then asks for. */
  hasPassword: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
}

/** Whether a user has two-factor sign-in on, and how many unused recovery codes they hold. */
export async function twoFactorStatus(userId: string): Promise<TwoFactorStatus> {
  const [user, recoveryCodesLeft] = await Promise.all([
    db.user.findUnique({ where: { id: userId }, select: { totpEnabledAt: true, passwordHash: true } }),
    db.recoveryCode.count({ where: { userId, usedAt: null } }),
  ]);
  return { enabled: Boolean(user?.totpEnabledAt), hasPassword: Boolean(user?.passwordHash), enabledAt: user?.totpEnabledAt ?? null, recoveryCodesLeft };
}

export interface Enrollment {
  /** Base32, shown for typing into an app by hand. */
  secret: string;
  /** The otpauth:// URI as a QR code, a data: URL for an <img>. */
  qrDataUrl: string;
  /** The secret sealed for this user with an expiry: the form sends it back with the first code. */
  enrollmentToken: string;
}

/**
 * A new secret to enroll with. Nothing is stored yet: the secret travels sealed in the
 * page's form (AES-256-GCM bound to this user, expiring) until the user proves a code
 * from it, so an abandoned enrollment leaves nothing behind and never replaces a working one.
 */
export async function beginEnrollment(user: { id: string; email: string }, now = new Date()): Promise<Enrollment> {
  const secret = newTotpSecret();
  const qrDataUrl = await QRCode.toDataURL(totpUri(secret, user.email), { errorCorrectionLevel: "M", margin: 1, width: 200 });
  const enrollmentToken = seal(JSON.stringify({ secret, expiresAt: now.getTime() + ENROLLMENT_TTL_MS }), ENROLLMENT_PURPOSE, user.id);
  return { secret, qrDataUrl, enrollmentToken };
}

export type TwoFactorChange =
  | { ok: true; recoveryCodes: string[] }
  | { ok: false; code: "expired" | "wrong_code" | "wrong_password" | "already_enabled" | "not_enabled" | "wrong_proof" }
  | { ok: false; code: "throttled"; retryAfterSeconds: number };

/** A security notice about the account's two-factor sign-in (always sent: it cannot be turned off); dashboard and mail say the same. */
function twoFactorNotice(kind: string, title: string, body: string, paragraphs: string[]): Notice {
  const href = "/account/two-factor";
  return { kind, title, body, href, mail: { subject: title, heading: title, paragraphs, action: { label: "Two-factor settings", url: href } } };
}

/** Replaces a user's recovery codes with ten new ones and returns their plaintext (shown once). */
async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })) });
  return codes;
}

/**
 * Turns two-factor on once the user proves a code from the new secret: stores the secret
 * encrypted, remembers the code's step (it cannot be used again to sign in), and returns
 * ten recovery codes. Throttled like the sign-in's second step.
 *
 * Every session but the enrolling one (`sessionId`, which just proved a code) ends: they
 * were made with the password alone, and someone who stole it must not keep a session,
 * which REQUIRE_2FA_FOR_ADMINS would then take for one that passed a second factor.
 *
 * An account with a password must type it too (checked and throttled as at sign-in):
 * otherwise whoever holds a stolen session cookie could put their own authenticator on the
 * account, end the owner's sessions and keep them out even after a password reset.
 */
export async function confirmEnrollment(
  userId: string,
  input: { enrollmentToken: string; code: string; password?: string; sessionId?: string },
  context: AuditContext,
  now = new Date(),
): Promise<TwoFactorChange> {
  const opened = unseal(input.enrollmentToken, ENROLLMENT_PURPOSE, userId);
  const pending = opened ? (JSON.parse(opened) as { secret: string; expiresAt: number }) : null;
  if (!pending || pending.expiresAt <= now.getTime()) return { ok: false, code: "expired" };
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, passwordHash: true } });
  if (!user) return { ok: false, code: "expired" };
  if (user.passwordHash) {
    const check = await checkCurrentPassword(user, input.password ?? "", context);
    if (check === "throttled") return { ok: false, code: "throttled", retryAfterSeconds: SIGN_IN_THROTTLE_WINDOW_SECONDS };
    if (check === "wrong_password") return { ok: false, code: "wrong_password" };
  }
  const ip = context.ip ?? "unknown";
  const wait = await takeSecondFactorAttempt(userId, ip);
  if (wait !== null) return { ok: false, code: "throttled", retryAfterSeconds: wait };
  const step = await matchTotpCode(pending.secret, input.code, { now });
  if (step === null) {
    await writeAuditEvent(db, "auth.two_factor_failed", context, { userId, details: { during: "enrollment" } });
    return { ok: false, code: "wrong_code" };
  }
  await refundSecondFactorAttempt(userId, ip);
  return db.$transaction(async (tx): Promise<TwoFactorChange> => {
    // Conditional on two-factor being off, so two tabs cannot enroll two secrets.
    const { count } = await tx.user.updateMany({
      where: { id: userId, totpEnabledAt: null },
      data: { totpSecret: encryptTotpSecret(pending.secret, userId), totpEnabledAt: now, totpLastStep: step },
    });
    if (count !== 1) return { ok: false, code: "already_enabled" };
    await revokeUserSessions(userId, input.sessionId, tx, now);
    const recoveryCodes = await replaceRecoveryCodes(tx, userId);
    await writeAuditEvent(tx, "auth.two_factor_enabled", context, { userId });
    await notifyUser(
      tx,
      userId,
      twoFactorNotice("two_factor_enabled", "Two-factor sign-in is on", "Signing in now also asks for a code from your authenticator app. Every other session was signed out.", [
        "Signing in to your Keyport account now also asks for a code from your authenticator app. Every other browser signed in to it was signed out.",
        "If you did not do this, reset your password and contact your administrator.",
      ]),
    );
    return { ok: true, recoveryCodes };
  });
}

/**
 * What turning two-factor off or new recovery codes ask for: a code from the authenticator,
 * a recovery code (spent), or the account's password. A code is throttled per IP and account
 * like the second step; a password is checked and throttled as at sign-in
 * (checkCurrentPassword), so these forms give a session left open no password guesses
 * beyond the ones every other form shares.
 */
async function proveIdentity(userId: string, proof: string, context: AuditContext, now: Date): Promise<"ok" | "wrong_proof" | { throttled: number }> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, passwordHash: true } });
  if (!user) return "wrong_proof";
  // Six digits are never a password (at least 10 characters); a password may look like a recovery code.
  if (looksLikeTotpCode(proof) || looksLikeRecoveryCode(proof)) {
    const ip = context.ip ?? "unknown";
    const wait = await takeSecondFactorAttempt(userId, ip);
    if (wait !== null) return { throttled: wait };
    if ((await spendSecondFactor(userId, proof, context, now)) !== null) {
      await refundSecondFactorAttempt(userId, ip);
      return "ok";
    }
    if (looksLikeTotpCode(proof) || !user.passwordHash) {
      await writeAuditEvent(db, "auth.two_factor_failed", { ...context, actorId: null }, { userId, details: { during: "confirmation" } });
      return "wrong_proof";
    }
  }
  if (!user.passwordHash) return "wrong_proof";
  const check = await checkCurrentPassword(user, proof, context);
  if (check === "throttled") return { throttled: SIGN_IN_THROTTLE_WINDOW_SECONDS };
  return check === "ok" ? "ok" : "wrong_proof";
}

function refusal(proof: Exclude<Awaited<ReturnType<typeof proveIdentity>>, "ok">): TwoFactorChange {
  return proof === "wrong_proof" ? { ok: false, code: "wrong_proof" } : { ok: false, code: "throttled", retryAfterSeconds: proof.throttled };
}

/** Ten new recovery codes in place of the old ones (all of which stop working), after a proof. */
export async function regenerateRecoveryCodes(userId: string, proof: string, context: AuditContext, now = new Date()): Promise<TwoFactorChange> {
  if (!(await twoFactorStatus(userId)).enabled) return { ok: false, code: "not_enabled" };
  const proved = await proveIdentity(userId, proof, context, now);
  if (proved !== "ok") return refusal(proved);
  return db.$transaction(async (tx) => {
    const recoveryCodes = await replaceRecoveryCodes(tx, userId);
    await writeAuditEvent(tx, "auth.recovery_codes_regenerated", context, { userId });
    return { ok: true as const, recoveryCodes };
  });
}

/** Clears a user's second factor: secret, last step, recovery codes, and pending sign-in challenges. */
async function clearSecondFactor(tx: Tx, userId: string) {
  await tx.user.update({ where: { id: userId }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } });
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.userToken.deleteMany({ where: { userId, purpose: SIGN_IN_CHALLENGE_PURPOSE } });
}

/**
 * Called by a password reset from the account's mail: when the account's address was never
 * verified, whoever turned two-factor on may not be the address's owner (someone who signed
 * up first with it, who needs no mailbox for that), and their authenticator must not keep
 * the owner out of the account the reset hands back. Clears it, audited as
 * auth.two_factor_reset, with a notice. A verified address keeps its second factor: the
 * mailbox alone does not get past it. True when it cleared one.
 */
export async function clearUnprovenSecondFactor(tx: Tx, user: { id: string; emailVerifiedAt: Date | null; totpEnabledAt: Date | null }, context: AuditContext) {
  if (user.emailVerifiedAt || !user.totpEnabledAt) return false;
  await clearSecondFactor(tx, user.id);
  await writeAuditEvent(tx, "auth.two_factor_reset", context, { userId: user.id, details: { by: "password_reset", reason: "address_unverified" } });
  await notifyUser(
    tx,
    user.id,
    twoFactorNotice(
      "two_factor_reset",
      "A password reset turned two-factor sign-in off",
      "Your account's address was not verified, so the reset from your mail also turned off the two-factor sign-in set up before it. Turn it on again from your account.",
      [
        "The password of your Keyport account was reset with a link sent to this address. The address had not been verified, so whoever set up two-factor sign-in before may not have been you: it was turned off.",
        "Sign in with your new password, then turn two-factor sign-in on again.",
      ],
    ),
  );
  return true;
}

/** Turns two-factor off after a proof; the user gets a security notice (dashboard and mail). */
export async function disableTwoFactor(userId: string, proof: string, context: AuditContext, now = new Date()): Promise<TwoFactorChange> {
  if (!(await twoFactorStatus(userId)).enabled) return { ok: false, code: "not_enabled" };
  const proved = await proveIdentity(userId, proof, context, now);
  if (proved !== "ok") return refusal(proved);
  await db.$transaction(async (tx) => {
    await clearSecondFactor(tx, userId);
    await writeAuditEvent(tx, "auth.two_factor_disabled", context, { userId });
    await notifyUser(
      tx,
      userId,
      twoFactorNotice(
        "two_factor_disabled",
        "Two-factor sign-in was turned off",
        "Your account now signs in with a password alone. If this was not you, change your password and turn two-factor on again.",
        [
          "Two-factor sign-in was turned off for your Keyport account, so signing in now asks only for your password.",
          "If you did not do this, change your password at once and turn two-factor sign-in on again.",
        ],
      ),
    );
  });
  return { ok: true, recoveryCodes: [] };
}

/**
 * An operator's reset of a user's second factor (admin console, CLI `users reset-2fa`), for
 * someone who lost both their authenticator and their recovery codes. Ends the user's
 * sessions, audits auth.two_factor_reset and tells the user (dashboard and mail).
 */
export async function resetTwoFactor(input: { userId: string }, context: AuditContext) {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, totpEnabledAt: true } });
    if (!user) throw new AdminError("not_found", "No such user.");
    if (!user.totpEnabledAt) throw new AdminError("invalid_state", `${user.email} does not have two-factor sign-in on.`);
    await clearSecondFactor(tx, user.id);
    await revokeUserSessions(user.id, undefined, tx);
    await writeAuditEvent(tx, "auth.two_factor_reset", context, { userId: user.id, details: { email: user.email } });
    await notifyUser(
      tx,
      user.id,
      twoFactorNotice(
        "two_factor_reset",
        "An administrator reset your two-factor sign-in",
        "Your account now signs in with a password alone, and every session was signed out. Turn two-factor on again from your account.",
        [
          "A Keyport administrator turned off two-factor sign-in for your account and signed out all of its sessions.",
          "Sign in with your password, then turn two-factor sign-in on again. If you did not ask for this, contact your administrator.",
        ],
      ),
    );
    return { id: user.id, email: user.email };
  });
}
