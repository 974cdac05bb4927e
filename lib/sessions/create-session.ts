import { randomBytes } from "node:crypto";
import { db } from "../db";
import { SESSION_MAX_AGE_SECONDS } from "./session-policy";

/** How long an ended session stays listed in the table (for support questions) before a sign-in clears it. */
export const ENDED_SESSION_RETENTION_MS = 30 * 86_400_000;

/**
 * Records a sign-in and returns the session's id, the only thing (with the user id) the
 * session cookie carries. The id is 256 random bits: it is not guessable even though the
 * cookie that holds it is also signed.
 */
export async function createSession(
  input: { userId: string; method: string; ip?: string | null; userAgent?: string | null },
  now = new Date(),
): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  // The table stays bounded: each sign-in clears this user's sessions that ended over a month
  // ago. Every session expires within SESSION_MAX_AGE_SECONDS, so no row outlives ~37 days.
  const longAgo = new Date(now.getTime() - ENDED_SESSION_RETENTION_MS);
  await db.session.deleteMany({ where: { userId: input.userId, OR: [{ expiresAt: { lt: longAgo } }, { revokedAt: { lt: longAgo } }] } });
  await db.session.create({
    data: {
      id,
      userId: input.userId,
      method: input.method,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
    },
  });
  return id;
}
