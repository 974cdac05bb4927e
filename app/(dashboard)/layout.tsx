import { AppShell } from "@/components/app-shell";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { requireUser } from "@/lib/auth";
import { countUnreadNotifications } from "@/lib/notifications/read-notifications";
import { SignOutButton } from "./_components/sign-out-button";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const unread = await countUnreadNotifications(user.id);
  const nav = [{ href: "/dashboard", label: "Keys" }, { href: "/dashboard/sessions", label: "Sessions" }, ...(user.role === "ADMIN" ? [{ href: "/admin", label: "Admin" }] : [])];
  return (
    <AppShell nav={nav} email={user.email} signOut={<SignOutButton />} bell={<NotificationBell unread={unread} />}>
      {children}
    </AppShell>
  );
}
