import { RateLimiterRes } from "rate-limiter-flexible";
import { env } from "../env";
import { processSingleton } from "../process-singleton";
import type { SignInErrorCode } from "../sign-in-errors";
import { createLimiter } from "./create-limiter";

/**
 * Sign-in throttling per IP and per account (OWASP API2:2023), and sign-ups per IP.
 *
 * An attempt takes its point BEFORE the password is checked, and a success gives it back:
 * checking "has this IP failed too often?" first and counting the failure after the bcrypt
 * compare let every attempt in flight pass the check at once (40 concurrent guesses were
 * all compared against a limit of 10). Taking the point first is atomic in the limiter, so
 * at most the limit's worth of compares ever run. Only failures keep their point, so a user
 * who signs in correctly is never locked out by their own successes.
 */
/** The sign-in throttle's window: what a refused password check tells the caller to wait. */
export const SIGN_IN_THROTTLE_WINDOW_SECONDS = 15 * 60;
const WINDOW_SECONDS = SIGN_IN_THROTTLE_WINDOW_SECONDS;
const { perIp, perAccount, signUpsPerIp } = processSingleton("sign-in-throttle-v2", () => ({
  perIp: createLimiter({ keyPrefix: "sign-in-ip", points: env.SIGN_IN_ATTEMPTS_PER_IP, durationSeconds: WINDOW_SECONDS }),
  perAccount: createLimiter({ keyPrefix: "sign-in-account", points: env.SIGN_IN_ATTEMPTS_PER_ACCOUNT, durationSeconds: WINDOW_SECONDS }),
  signUpsPerIp: createLimiter({ keyPrefix: "sign-up-ip", points: env.SIGN_UPS_PER_IP_PER_HOUR, durationSeconds: 60 * 60 }),
}));

export class SignInThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    // next-auth passes this message to the sign-in page as the error code.
    super("throttled" satisfies SignInErrorCode);
  }
}

const retryAfter = (refusal: RateLimiterRes) => Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));

/**
 * Takes one attempt's point from the IP and from the account, or throws
 * SignInThrottledError when either has none left. Call before the password is compared;
 * call refundSignInAttempt after a success.
 */
export async function consumeSignInAttempt(email: string, ip: string): Promise<void> {
  await consumeFromBoth([perIp.consume(ip), perAccount.consume(email)]);
}

/** Waits for both limiters and throws SignInThrottledError when either refused. */
async function consumeFromBoth(consumptions: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(consumptions);
  const refusals = results.flatMap((result) => (result.status === "rejected" && result.reason instanceof RateLimiterRes ? [result.reason] : []));
  if (refusals.length) throw new SignInThrottledError(Math.max(...refusals.map(retryAfter)));
  // A limiter that failed outright (Redis down with no insurance) is not a refusal: it already fell back to memory.
}

/** A successful sign-in gives the IP its point back and clears the account's failures. */
export async function refundSignInAttempt(email: string, ip: string): Promise<void> {
  await Promise.allSettled([perIp.reward(ip, 1), perAccount.delete(email)]);
}

/** Takes one sign-up's point from the IP, or throws SignInThrottledError when it has none left. */
export async function consumeSignUp(ip: string): Promise<void> {
  try {
    await signUpsPerIp.consume(ip);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new SignInThrottledError(retryAfter(error));
  }
}

/**
 * The second sign-in step (a TOTP or recovery code) and the proofs two-factor settings ask
 * for, throttled like the password step per IP and per account, with limiters of their own:
 * a correct password clears the password step's account counter, and sharing it would let
 * someone who knows the password reset their code guesses by signing in again.
 */
const secondFactor = processSingleton("second-factor-throttle", () => ({
  perIp: createLimiter({ keyPrefix: "second-factor-ip", points: env.SIGN_IN_ATTEMPTS_PER_IP, durationSeconds: WINDOW_SECONDS }),
  perAccount: createLimiter({ keyPrefix: "second-factor-account", points: env.SIGN_IN_ATTEMPTS_PER_ACCOUNT, durationSeconds: WINDOW_SECONDS }),
}));

/** consumeSignInAttempt for a second-factor code; the account is the user's id. */
export async function consumeSecondFactorAttempt(userId: string, ip: string): Promise<void> {
  await consumeFromBoth([secondFactor.perIp.consume(ip), secondFactor.perAccount.consume(userId)]);
}

/** A correct code gives the IP its point back and clears the account's failed codes. */
export async function refundSecondFactorAttempt(userId: string, ip: string): Promise<void> {
  await Promise.allSettled([secondFactor.perIp.reward(ip, 1), secondFactor.perAccount.delete(userId)]);
}
