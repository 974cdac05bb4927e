import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { consumeSecondFactorAttempt, refundSecondFactorAttempt, SignInThrottledError } from "../rate-limit/sign-in-throttle";
import { hashRecoveryCode, looksLikeRecoveryCode } from "./recovery-codes";
import { seal, unseal } from "./secret-box";
import { looksLikeTotpCode, matchTotpCode } from "./totp";

const TOTP_SECRET_PURPOSE = "totp-secret";

/** What User.totpSecret holds: the Base32 secret sealed with AES-256-GCM, bound to the user's id. */
export function encryptTotpSecret(secret: string, userId: string): string {
  return seal(secret, TOTP_SECRET_PURPOSE, userId);
}

/** The Base32 secret from User.totpSecret, or null if it cannot be read (another user's row, another NEXTAUTH_SECRET). */
export function decryptTotpSecret(stored: string | null, userId: string): string | null {
  return unseal(stored, TOTP_SECRET_PURPOSE, userId);
}

export type SecondFactorMethod = "totp" | "recovery_code";

/**
 * Checks a code from the user's authenticator or one of their recovery codes, and spends
 * it: a TOTP code's time step becomes User.totpLastStep (so it, and any older code, is
 * refused from now on), a recovery code gets its usedAt. Both writes are conditional on
 * what was read, so two requests racing with the same code cannot both succeed.
 * Not throttled: callers go through proveSecondFactor.
 */
export async function spendSecondFactor(userId: string, input: string, context: AuditContext, now: Date): Promise<SecondFactorMethod | null> {
  if (looksLikeTotpCode(input)) {
    const user = await db.user.findUnique({ where: { id: userId }, select: { totpSecret: true, totpEnabledAt: true, totpLastStep: true } });
    const secret = user?.totpEnabledAt ? decryptTotpSecret(user.totpSecret, userId) : null;
    if (!user || !secret) return null;
    const step = await matchTotpCode(secret, input, { now, afterTimeStep: user.totpLastStep });
    if (step === null) return null;
    const { count } = await db.user.updateMany({ where: { id: userId, totpLastStep: user.totpLastStep }, data: { totpLastStep: step } });
    return count === 1 ? "totp" : null;
  }
  if (!looksLikeRecoveryCode(input)) return null;
  return db.$transaction(async (tx) => {
    const { count } = await tx.recoveryCode.updateMany({ where: { userId, codeHash: hashRecoveryCode(input), usedAt: null }, data: { usedAt: now } });
    if (count !== 1) return null;
    const left = await tx.recoveryCode.count({ where: { userId, usedAt: null } });
    await writeAuditEvent(tx, "auth.recovery_code_used", { ...context, actorId: userId }, { userId, details: { codesLeft: left } });
    return "recovery_code" as const;
  });
}

/**
 * Takes one point per IP and per account for a second-factor attempt (sign-in's second
 * step, enrollment, and the proofs the settings ask for). Returns the seconds to wait when
 * throttled, else null; the caller gives the point back with refundSecondFactorAttempt on success.
 */
export async function takeSecondFactorAttempt(userId: string, ip: string): Promise<number | null> {
  try {
    await consumeSecondFactorAttempt(userId, ip);
    return null;
  } catch (error) {
    if (error instanceof SignInThrottledError) return error.retryAfterSeconds;
    throw error;
  }
}

export type SecondFactorProof = { ok: true; method: SecondFactorMethod } | { ok: false; code: "wrong_code" } | { ok: false; code: "throttled"; retryAfterSeconds: number };

/**
 * The throttled check of a second-factor code: takes a point per IP and per account first,
 * spends the code, gives the point back on success. A failure is audited as auth.two_factor_failed.
 */
export async function proveSecondFactor(userId: string, input: string, context: AuditContext, now = new Date()): Promise<SecondFactorProof> {
  const ip = context.ip ?? "unknown";
  const wait = await takeSecondFactorAttempt(userId, ip);
  if (wait !== null) return { ok: false, code: "throttled", retryAfterSeconds: wait };
  const method = await spendSecondFactor(userId, input, context, now);
  if (!method) {
    await writeAuditEvent(db, "auth.two_factor_failed", { ...context, actorId: null }, { userId });
    return { ok: false, code: "wrong_code" };
  }
  await refundSecondFactorAttempt(userId, ip);
  return { ok: true, method };
}
