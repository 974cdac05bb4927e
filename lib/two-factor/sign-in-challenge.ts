import { createHash, randomBytes } from "node:crypto";
import { type AuditContext } from "../audit";
import { db } from "../db";
import { createSession } from "../sessions/create-session";
import { proveSecondFactor, type SecondFactorMethod } from "./second-factor";
import { SIGN_IN_CHALLENGE_PURPOSE } from "../users/user-tokens";
import { sign, signatureMatches } from "./secret-box";

/**
 * The second sign-in step. A correct password (or a GitHub sign-in) for an account with
 * two-factor on makes no session: it makes a challenge, a row in UserToken (purpose
 * "sign_in_challenge": only the SHA-256 of a 256-bit token is stored, bound to the user,
 * expiring in five minutes, usable once) and a signed, httpOnly cookie that carries the
 * token (challenge-cookie.ts). Only completeSignInChallenge, given that cookie and a valid
 * code, makes the Session row. Nothing else in the browser proves the password was typed.
 */
export const CHALLENGE_TTL_MS = 5 * 60_000;
const CHALLENGE_PURPOSE = SIGN_IN_CHALLENGE_PURPOSE;
const SIGNATURE_PURPOSE = "sign-in-challenge";

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * For a user who just passed the first step (password or GitHub): when their account has
 * two-factor on, records a challenge and returns the cookie's value; otherwise null, and
 * the caller makes the session as usual.
 */
export async function challengeIfTwoFactor(userId: string, method: string, now = new Date()): Promise<string | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, totpEnabledAt: true } });
  return user?.totpEnabledAt ? issueSignInChallenge(user, method, now) : null;
}

/** Records a challenge for a user who passed the first step and returns the cookie's value. */
export async function issueSignInChallenge(user: { id: string; email: string }, method: string, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  // Challenges that ended are cleared as new ones are made, so the table stays small.
  await db.userToken.deleteMany({ where: { userId: user.id, purpose: CHALLENGE_PURPOSE, expiresAt: { lt: now } } });
  await db.userToken.create({
    data: { userId: user.id, purpose: CHALLENGE_PURPOSE, tokenHash: tokenHash(token), email: user.email, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) },
  });
  const payload = Buffer.from(JSON.stringify({ t: token, m: method })).toString("base64url");
  return `${payload}.${sign(payload, SIGNATURE_PURPOSE)}`;
}

export interface PendingChallenge {
  userId: string;
  email: string;
  method: string;
  tokenHash: string;
}

/**
 * The challenge a cookie names, if it still stands: the signature holds, its row exists,
 * is unused and unexpired, and its user is enabled with two-factor still on.
 */
export async function readSignInChallenge(cookie: string | null | undefined, now = new Date()): Promise<PendingChallenge | null> {
  const [payload, signature, extra] = cookie?.split(".") ?? [];
  if (!payload || !signature || extra !== undefined || !signatureMatches(payload, signature, SIGNATURE_PURPOSE)) return null;
  let parsed: { t?: unknown; m?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (typeof parsed.t !== "string" || typeof parsed.m !== "string") return null;
  const hash = tokenHash(parsed.t);
  const row = await db.userToken.findUnique({
    where: { tokenHash: hash },
    select: { purpose: true, usedAt: true, expiresAt: true, user: { select: { id: true, email: true, disabledAt: true, deletedAt: true, totpEnabledAt: true } } },
  });
  if (!row || row.purpose !== CHALLENGE_PURPOSE || row.usedAt || row.expiresAt <= now) return null;
  if (row.user.disabledAt || row.user.deletedAt || !row.user.totpEnabledAt) return null;
  return { userId: row.user.id, email: row.user.email, method: parsed.m, tokenHash: hash };
}

export type ChallengeAnswer =
  | { ok: true; userId: string; sessionId: string; method: SecondFactorMethod }
  | { ok: false; code: "expired" | "wrong_code" }
  | { ok: false; code: "throttled"; retryAfterSeconds: number };

/**
 * The second step: a code (TOTP or recovery) against the challenge the cookie names.
 * Throttled per IP and per account; a wrong code leaves the challenge standing (until it
 * expires) so a typo does not send the user back to the password. A right code spends
 * the challenge (conditionally, so it makes one session however many requests race) and
 * makes the session exactly as a sign-in without two-factor does.
 */
export async function completeSignInChallenge(
  cookie: string | null | undefined,
  code: string,
  context: Omit<AuditContext, "actorId">,
  now = new Date(),
): Promise<ChallengeAnswer> {
  const challenge = await readSignInChallenge(cookie, now);
  if (!challenge) return { ok: false, code: "expired" };
  const proof = await proveSecondFactor(challenge.userId, code, { ...context, actorId: challenge.userId }, now);
  if (!proof.ok) return proof;
  const { count } = await db.userToken.updateMany({
    where: { tokenHash: challenge.tokenHash, purpose: CHALLENGE_PURPOSE, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count !== 1) return { ok: false, code: "expired" };
  const sessionId = await createSession({ userId: challenge.userId, method: challenge.method, ip: context.ip, userAgent: context.userAgent }, now);
  return { ok: true, userId: challenge.userId, sessionId, method: proof.method };
}

/** Whether signing in as this user takes the second step. */
export async function hasTwoFactor(userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { totpEnabledAt: true } });
  return Boolean(user?.totpEnabledAt);
}
