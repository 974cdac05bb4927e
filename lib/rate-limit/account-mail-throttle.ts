import { RateLimiterRes } from "rate-limiter-flexible";
import { processSingleton } from "../process-singleton";
import { createLimiter } from "./create-limiter";

/**
 * Limits on what sends a mail from the account pages: password-reset requests (per IP and
 * per address, so nobody can flood an inbox or probe addresses fast), re-sent verification
 * links (per user), email changes (per user and per new address), and team invitations (per
 * inviter and per invited address). Anyone can sign up or make a team, so neither an account's
 * email-change form nor a team's invitations may become a way to mail-bomb an inbox. The
 * limits are small on purpose: a person needs one mail, perhaps two.
 */
export const ACCOUNT_MAIL_LIMITS = {
  resetPerIpPerHour: 20,
  resetPerAddressPerHour: 3,
  verificationResendsPerUserPerHour: 3,
  emailChangesPerUserPerHour: 5,
  emailChangesPerAddressPerHour: 3,
  invitationsPerInviterPerHour: 30,
  invitationsPerAddressPerHour: 3,
} as const;

const HOUR = 60 * 60;
const limiters = processSingleton("account-mail-throttle-v2", () => ({
  resetPerIp: createLimiter({ keyPrefix: "reset-ip", points: ACCOUNT_MAIL_LIMITS.resetPerIpPerHour, durationSeconds: HOUR }),
  resetPerAddress: createLimiter({ keyPrefix: "reset-address", points: ACCOUNT_MAIL_LIMITS.resetPerAddressPerHour, durationSeconds: HOUR }),
  verificationResend: createLimiter({ keyPrefix: "verify-resend", points: ACCOUNT_MAIL_LIMITS.verificationResendsPerUserPerHour, durationSeconds: HOUR }),
  emailChange: createLimiter({ keyPrefix: "email-change", points: ACCOUNT_MAIL_LIMITS.emailChangesPerUserPerHour, durationSeconds: HOUR }),
  emailChangePerAddress: createLimiter({ keyPrefix: "email-change-address", points: ACCOUNT_MAIL_LIMITS.emailChangesPerAddressPerHour, durationSeconds: HOUR }),
  invitationsPerInviter: createLimiter({ keyPrefix: "invite-inviter", points: ACCOUNT_MAIL_LIMITS.invitationsPerInviterPerHour, durationSeconds: HOUR }),
  invitationsPerAddress: createLimiter({ keyPrefix: "invite-address", points: ACCOUNT_MAIL_LIMITS.invitationsPerAddressPerHour, durationSeconds: HOUR }),
}));

export class AccountMailThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests: try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`);
    this.name = "AccountMailThrottledError";
  }
}

/** Takes one point from each key of `limiter`; throws AccountMailThrottledError when any has none left. */
async function consume(entries: [keyof typeof limiters, string][]): Promise<void> {
  const results = await Promise.allSettled(entries.map(([limiter, key]) => limiters[limiter].consume(key)));
  const refusals = results.flatMap((result) => (result.status === "rejected" && result.reason instanceof RateLimiterRes ? [result.reason] : []));
  if (refusals.length) throw new AccountMailThrottledError(Math.max(1, ...refusals.map((refusal) => Math.ceil(refusal.msBeforeNext / 1000))));
}

/**
 * The inbox an (already normalized) address reaches, as the per-address limits count it: the
 * local part without a "+tag", since bob+1@ and bob+2@ land in bob@'s inbox at nearly every
 * provider. Only a throttle key: the mail still goes to the address as given.
 */
function inboxOf(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return email;
  const plus = email.indexOf("+");
  return plus > 0 && plus < at ? email.slice(0, plus) + email.slice(at) : email;
}

/** A "forgot password" request: counted per IP and per inbox, whether or not the address has an account. */
export const consumePasswordResetRequest = (email: string, ip: string) =>
  consume([
    ["resetPerIp", ip],
    ["resetPerAddress", inboxOf(email)],
  ]);

export const consumeVerificationResend = (userId: string) => consume([["verificationResend", userId]]);

/**
 * An email change: counted per user and per inbox of the new address (whether or not it has an
 * account), since anyone can sign up and each account's form mails whatever address it names.
 */
export const consumeEmailChange = (userId: string, newEmail: string) =>
  consume([
    ["emailChange", userId],
    ["emailChangePerAddress", inboxOf(newEmail)],
  ]);

/** A team invitation by a member: counted per inviter; throws AccountMailThrottledError past the limit. */
export const consumeInvitation = (inviterId: string) => consume([["invitationsPerInviter", inviterId]]);

/**
 * Whether an invitation to this address may still be mailed this hour (counted per inbox,
 * whichever team sends it). A refusal here must not stop the invitation itself: anyone can
 * make a team, so a hard limit per address would let a stranger use it up and keep a
 * victim's own team from inviting them.
 */
export async function mayMailInvitation(email: string): Promise<boolean> {
  try {
    await consume([["invitationsPerAddress", inboxOf(email)]]);
    return true;
  } catch (error) {
    if (error instanceof AccountMailThrottledError) return false;
    throw error;
  }
}
