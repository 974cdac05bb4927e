import { env } from "../env";

/** A session's absolute lifetime, and the cookie's: a week from sign-in. */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

/**
 * lastSeenAt is written at most this often per session, so a busy page costs one read,
 * not a read and a write; idle expiry is therefore exact to within this much.
 */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface SessionTimes {
  revokedAt: Date | null;
  expiresAt: Date;
  lastSeenAt: Date;
}

/**
 * The one rule for "this session still signs its browser in": not revoked, not past its
 * absolute end, and used within the idle timeout. activeSessionWhere is the same rule as a
 * database filter (tests/integration/sessions.test.ts checks that the two agree).
 */
export function isSessionActive(session: SessionTimes, now: Date, idleMs = env.SESSION_IDLE_TIMEOUT): boolean {
  return session.revokedAt === null && session.expiresAt > now && session.lastSeenAt.getTime() > now.getTime() - idleMs;
}

/** isSessionActive as a Prisma filter on Session. */
export function activeSessionWhere(now: Date, idleMs = env.SESSION_IDLE_TIMEOUT) {
  return { revokedAt: null, expiresAt: { gt: now }, lastSeenAt: { gt: new Date(now.getTime() - idleMs) } };
}
