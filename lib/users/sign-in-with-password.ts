import type { AuditContext } from "../audit";
import { consumeSignInAttempt, refundSignInAttempt, SignInThrottledError } from "../rate-limit/sign-in-throttle";
import { createSession } from "../sessions/create-session";
import { challengeIfTwoFactor } from "../two-factor/sign-in-challenge";
import { type AuthenticatedUser, authenticateUser } from "./authenticate-user";

export type PasswordSignIn =
  | { ok: true; user: AuthenticatedUser; sessionId: string }
  | { ok: false; code: "CredentialsSignin" }
  /** The password was right and the account has two-factor on: no session yet, only a challenge (the cookie's value). */
  | { ok: false; code: "two_factor_required"; challenge: string }
  | { ok: false; code: "throttled"; retryAfterSeconds: number };

/**
 * The one way an email and password become a session, for next-auth's credentials
 * provider and for the sign-in and sign-up forms' server actions alike: take a throttle
 * point, compare the password, give the point back on success, record the Session row.
 * For an account with two-factor on, a right password records no session: it answers
 * "two_factor_required" with a challenge for the second step (lib/two-factor/sign-in-challenge.ts).
 * Emails arrive normalized by signInSchema.
 */
export async function signInWithPassword(
  input: { email: string; password: string },
  context: Omit<AuditContext, "actorId">,
): Promise<PasswordSignIn> {
  const ip = context.ip ?? "unknown";
  try {
    await consumeSignInAttempt(input.email, ip);
  } catch (error) {
    if (error instanceof SignInThrottledError) return { ok: false, code: "throttled", retryAfterSeconds: error.retryAfterSeconds };
    throw error;
  }
  const user = await authenticateUser(input.email, input.password, context);
  if (!user) return { ok: false, code: "CredentialsSignin" };
  await refundSignInAttempt(input.email, ip);
  const challenge = await challengeIfTwoFactor(user.id, "credentials");
  if (challenge) return { ok: false, code: "two_factor_required", challenge };
  const sessionId = await createSession({ userId: user.id, method: "credentials", ip: context.ip, userAgent: context.userAgent });
  return { ok: true, user, sessionId };
}
