import { db } from "../db";

type SessionClient = Pick<typeof db, "session">;

/** Ends one of a user's sessions; another user's session id changes nothing. Returns whether one ended. */
export async function revokeSession(userId: string, sessionId: string, now = new Date()): Promise<boolean> {
  const { count } = await db.session.updateMany({ where: { id: sessionId, userId, revokedAt: null }, data: { revokedAt: now } });
  return count > 0;
}

/**
 * Ends every session of a user, except `exceptSessionId` (the caller's own, for "sign out
 * everywhere else" and a password change). Called when an account is disabled or its role
 * changes, so a cookie saved before either never works again. Pass a transaction as
 * `client` to end them in the same commit as the change.
 */
export async function revokeUserSessions(userId: string, exceptSessionId?: string, client: SessionClient = db, now = new Date()): Promise<number> {
  const { count } = await client.session.updateMany({
    where: { userId, revokedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
    data: { revokedAt: now },
  });
  return count;
}
