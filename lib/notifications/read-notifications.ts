import { db } from "../db";

/**
 * The dashboard's view of a user's notices. Every query is filtered by the user's id, so a
 * notice id posted by someone else's form reads or changes nothing.
 */

/** How many notices the page lists (the newest); older ones stay in the table. */
export const NOTIFICATIONS_PAGE_SIZE = 100;

export const notificationSelect = { id: true, kind: true, title: true, body: true, href: true, readAt: true, createdAt: true } as const;

export async function listNotifications(userId: string) {
  return db.notification.findMany({
    where: { userId },
    select: notificationSelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: NOTIFICATIONS_PAGE_SIZE,
  });
}

export async function countUnreadNotifications(userId: string): Promise<number> {
  return db.notification.count({ where: { userId, readAt: null } });
}

/** Marks one of the user's notices read; false if it is not theirs (or does not exist). */
export async function markNotificationRead(userId: string, notificationId: string, now = new Date()): Promise<boolean> {
  const { count } = await db.notification.updateMany({ where: { id: notificationId, userId, readAt: null }, data: { readAt: now } });
  return count === 1;
}

export async function markAllNotificationsRead(userId: string, now = new Date()): Promise<number> {
  const { count } = await db.notification.updateMany({ where: { userId, readAt: null }, data: { readAt: now } });
  return count;
}
