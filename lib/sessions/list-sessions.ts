import { db } from "../db";
import { describeDevice } from "./describe-device";
import { activeSessionWhere } from "./session-policy";

export interface SessionListing {
  id: string;
  device: string;
  ip: string | null;
  method: string;
  createdAt: Date;
  lastSeenAt: Date;
}

/** A user's active sessions, most recently used first. */
export async function listActiveSessions(userId: string, now = new Date()): Promise<SessionListing[]> {
  const rows = await db.session.findMany({
    where: { userId, ...activeSessionWhere(now) },
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
    select: { id: true, userAgent: true, ip: true, method: true, createdAt: true, lastSeenAt: true },
    take: 200,
  });
  return rows.map(({ userAgent, ...row }) => ({ ...row, device: describeDevice(userAgent) }));
}
