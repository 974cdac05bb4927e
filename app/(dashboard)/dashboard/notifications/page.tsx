import type { Metadata } from "next";
import Link from "next/link";
import { Time } from "@/components/format/dates";
import { Button } from "@/components/ui/button";
import { requireUser } from "@/lib/auth";
import { listNotifications, NOTIFICATIONS_PAGE_SIZE } from "@/lib/notifications/read-notifications";
import { markAllNotificationsReadAction, markNotificationReadAction } from "./actions";

export const metadata: Metadata = { title: "Notifications" };

/** Notices link inside the portal only. */
function internalHref(href: string | null): string | null {
  return href && href.startsWith("/") && !href.startsWith("//") ? href : null;
}

export default async function NotificationsPage() {
  const user = await requireUser();
  const notifications = await listNotifications(user.id);
  const unread = notifications.filter((notice) => !notice.readAt).length;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Notifications</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Keys about to expire, keys revoked by someone else, and security events on your account. The same notices are sent by mail.
          </p>
        </div>
        <form action={markAllNotificationsReadAction}>
          <Button type="submit" variant="secondary" disabled={unread === 0}>
            Mark all read
          </Button>
        </form>
      </div>

      {notifications.length === 0 ? (
        <div className="rounded-xl border border-dashed border-zinc-300 p-10 text-center dark:border-zinc-700" data-testid="notifications-empty">
          <p className="font-medium">No notifications yet</p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">When a key is about to expire or something changes on your account, it shows up here.</p>
        </div>
      ) : (
        <ul className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" aria-label="Notifications, newest first">
          {notifications.map((notice) => {
            const href = internalHref(notice.href);
            return (
              <li key={notice.id} data-testid="notification" data-unread={notice.readAt ? undefined : "true"} className="flex flex-wrap items-start gap-4 px-4 py-4 sm:flex-nowrap">
                <span aria-hidden="true" className={`mt-2 size-2 shrink-0 rounded-full ${notice.readAt ? "bg-transparent" : "bg-indigo-600"}`} />
                <div className="min-w-0 flex-1">
                  <h2 className={`text-sm ${notice.readAt ? "font-medium text-zinc-700 dark:text-zinc-300" : "font-semibold"}`}>
                    {!notice.readAt && <span className="sr-only">Unread: </span>}
                    {notice.title}
                  </h2>
                  <p className="mt-1 text-sm break-words text-zinc-600 dark:text-zinc-400">{notice.body}</p>
                  <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
                    <Time date={notice.createdAt} />
                  </p>
                </div>
                <div className="flex shrink-0 gap-2">
                  {href && (
                    <Link href={href} aria-label={`Open: ${notice.title}`} className="inline-flex h-8 items-center rounded-md px-2.5 text-sm font-medium text-indigo-700 hover:bg-zinc-100 dark:text-indigo-300 dark:hover:bg-zinc-800">
                      Open
                    </Link>
                  )}
                  {!notice.readAt && (
                    <form action={markNotificationReadAction}>
                      <input type="hidden" name="notificationId" value={notice.id} />
                      <Button type="submit" variant="ghost" size="sm" aria-label={`Mark read: ${notice.title}`}>
                        Mark read
                      </Button>
                    </form>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {notifications.length === NOTIFICATIONS_PAGE_SIZE && (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Showing the newest {NOTIFICATIONS_PAGE_SIZE} notifications.</p>
      )}
    </div>
  );
}
