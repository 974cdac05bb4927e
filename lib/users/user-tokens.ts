import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db";

/**
 * Single-use tokens that a mail carries (verify an address, reset a password, confirm a new
 * address). Only the SHA-256 of a token is stored: the plaintext exists in the mail's link
 * and nowhere else, so a copy of the database resets nobody's password. 256 random bits, so
 * a fast hash is enough (there is nothing to brute-force).
 */
export type UserTokenPurpose = "verify_email" | "reset_password" | "change_email";

/** The purpose of a pending two-factor sign-in's row (lib/two-factor/sign-in-challenge.ts), which a password change voids. */
export const SIGN_IN_CHALLENGE_PURPOSE = "sign_in_challenge";

/** How long a link works: a day to verify an address, half an hour to reset a password. */
export const TOKEN_LIFETIME_MS: Record<UserTokenPurpose, number> = {
  verify_email: 24 * 60 * 60 * 1000,
  change_email: 24 * 60 * 60 * 1000,
  reset_password: 30 * 60 * 1000,
};

type Tx = Pick<Db, "userToken">;

/** The stored form of a token. */
export function hashUserToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Tokens are 43 URL-safe characters; anything else is refused before a database read. */
export function isWellFormedUserToken(token: unknown): token is string {
  return typeof token === "string" && /^[A-Za-z0-9_-]{43}$/.test(token);
}

/**
 * Issues a token for `purpose` and returns its plaintext (to put in a mail's link, once).
 * Earlier unused tokens of the same purpose stop working: only the newest link counts.
 */
export async function issueUserToken(tx: Tx, input: { userId: string; purpose: UserTokenPurpose; email: string }, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await tx.userToken.updateMany({
    where: { userId: input.userId, purpose: input.purpose, usedAt: null },
    data: { usedAt: now },
  });
  await tx.userToken.create({
    data: {
      userId: input.userId,
      purpose: input.purpose,
      email: input.email,
      tokenHash: hashUserToken(token),
      expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[input.purpose]),
      createdAt: now,
    },
  });
  return token;
}

export interface UsableToken {
  id: string;
  userId: string;
  purpose: UserTokenPurpose;
  email: string;
}

const usable = (token: string, purposes: readonly UserTokenPurpose[], now: Date) => ({
  tokenHash: hashUserToken(token),
  purpose: { in: [...purposes] },
  usedAt: null,
  expiresAt: { gt: now },
});

/** The token's row if it is unused, unexpired and for one of `purposes`; it stays usable. */
export async function peekUserToken(tx: Tx, token: string, purposes: readonly UserTokenPurpose[], now = new Date()): Promise<UsableToken | null> {
  if (!isWellFormedUserToken(token)) return null;
  const row = await tx.userToken.findFirst({ where: usable(token, purposes, now), select: { id: true, userId: true, purpose: true, email: true } });
  return row ? { ...row, purpose: row.purpose as UserTokenPurpose } : null;
}

/**
 * Uses a token up: returns its row if it was usable, and marks it used in the same
 * conditional write, so of two requests racing with one link exactly one gets it.
 */
export async function consumeUserToken(tx: Tx, token: string, purposes: readonly UserTokenPurpose[], now = new Date()): Promise<UsableToken | null> {
  const row = await peekUserToken(tx, token, purposes, now);
  if (!row) return null;
  const { count } = await tx.userToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
  return count === 1 ? row : null;
}
