import { randomBytes } from "node:crypto";
import { db } from "../db";
import { SESSION_MAX_AGE_SECONDS } from "./session-policy";

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
