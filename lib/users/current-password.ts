// Its own module so that what needs only this check (two-factor management, which the operator
// CLI loads at start-up) does not import the reset flow and everything it reaches.
import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { verifyPassword } from "../passwords";
import { consumeSignInAttempt, refundSignInAttempt, SignInThrottledError } from "../rate-limit/sign-in-throttle";
import { fitsBcrypt } from "../validations/auth";

/**
 * Checks the password a signed-in user typed to confirm a change (a new password, deleting
 * the account). Throttled like a sign-in, so a borrowed session cannot guess at it; a
 * failure is audited as a failed sign-in. A password beyond 72 bytes never matches.
 */
export async function checkCurrentPassword(
  user: { id: string; email: string; passwordHash: string | null },
  password: string,
  context: AuditContext,
): Promise<"ok" | "wrong_password" | "throttled"> {
  const ip = context.ip ?? "unknown";
  try {
    await consumeSignInAttempt(user.email, ip);
  } catch (error) {
    if (error instanceof SignInThrottledError) return "throttled";
    throw error;
  }
  const fits = fitsBcrypt(password);
  const ok = (await verifyPassword(fits ? password : "", user.passwordHash)) && fits;
  if (!ok) {
    await writeAuditEvent(db, "auth.sign_in_failed", context, { userId: user.id, details: { reason: "wrong_password", during: "account_change" } });
    return "wrong_password";
  }
  await refundSignInAttempt(user.email, ip);
  return "ok";
}
