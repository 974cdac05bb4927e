import { RateLimiterRes } from "rate-limiter-flexible";
import { env } from "../env";
import { processSingleton } from "../process-singleton";
import type { SignInErrorCode } from "../sign-in-errors";
import { createLimiter } from "./create-limiter";

/**
 * Sign-in throttling per IP and per account (OWASP API2:2023). Only failed attempts
 * count, so a user who signs in correctly is never locked out by their own successes;
 * a success clears the account's count.
 */
const WINDOW_SECONDS = 15 * 60;
const { perIp, perAccount } = processSingleton("sign-in-throttle", () => ({
  perIp: createLimiter({ keyPrefix: "sign-in-ip", points: env.SIGN_IN_ATTEMPTS_PER_IP, durationSeconds: WINDOW_SECONDS }),
  perAccount: createLimiter({ keyPrefix: "sign-in-account", points: env.SIGN_IN_ATTEMPTS_PER_ACCOUNT, durationSeconds: WINDOW_SECONDS }),
}));

export class SignInThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    // next-auth passes this message to the sign-in page as the error code.
    super("throttled" satisfies SignInErrorCode);
  }
}

/** Throws SignInThrottledError when this IP or account has used up its failed attempts. */
export async function assertSignInAllowed(email: string, ip: string) {
  const [byIp, byAccount] = await Promise.all([perIp.get(ip), perAccount.get(email)]);
  const blocked = [
    byIp && byIp.consumedPoints >= env.SIGN_IN_ATTEMPTS_PER_IP ? byIp : null,
    byAccount && byAccount.consumedPoints >= env.SIGN_IN_ATTEMPTS_PER_ACCOUNT ? byAccount : null,
  ].filter((res): res is RateLimiterRes => res !== null);
  if (blocked.length) throw new SignInThrottledError(Math.ceil(Math.max(...blocked.map((res) => res.msBeforeNext)) / 1000));
}

/** Counts one failed attempt against the IP and the account. */
export async function recordFailedSignIn(email: string, ip: string) {
  await Promise.allSettled([perIp.consume(ip), perAccount.consume(email)]);
}

/** A successful sign-in clears the account's failures (not the IP's). */
export async function recordSuccessfulSignIn(email: string) {
  await perAccount.delete(email).catch(() => undefined);
}
