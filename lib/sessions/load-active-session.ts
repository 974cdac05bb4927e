import { db } from "../db";
import { isSessionActive, LAST_SEEN_RESOLUTION_MS } from "./session-policy";

export interface ActiveSession {
  sessionId: string;
  user: { id: string; email: string; name: string | null; role: "USER" | "ADMIN"; twoFactorEnabled: boolean };
}

/**
 * The session a cookie names, if it still signs its browser in: the row exists, belongs to
 * the cookie's user, is active (session-policy.ts) and the user is neither disabled nor deleted. One read
 * by primary key; lastSeenAt is bumped at most once a minute (LAST_SEEN_RESOLUTION_MS).
 */
export async function loadActiveSession(sessionId: string, userId: string, now = new Date()): Promise<ActiveSession | null> {
  const row = await db.session.findUnique({
    where: { id: sessionId },
    select: {
      userId: true,
      revokedAt: true,
      expiresAt: true,
      lastSeenAt: true,
      user: { select: { id: true, email: true, name: true, role: true, disabledAt: true, deletedAt: true, totpEnabledAt: true } },
    },
  });
  // A deleted account's sessions are revoked with it, but a sign-in that checked the password
  // just before the deletion can still record one after it: deletedAt is checked here too.
  if (!row || row.userId !== userId || row.user.disabledAt || row.user.deletedAt || !isSessionActive(row, now)) return null;
  if (now.getTime() - row.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    // Conditional on the value read, so concurrent requests write it once; revokedAt is untouched.
    await db.session.updateMany({ where: { id: sessionId, lastSeenAt: row.lastSeenAt }, data: { lastSeenAt: now } });
  }
  const { disabledAt: _disabledAt, deletedAt: _deletedAt, totpEnabledAt, ...user } = row.user;
  return { sessionId, user: { ...user, twoFactorEnabled: Boolean(totpEnabledAt) } };
}
