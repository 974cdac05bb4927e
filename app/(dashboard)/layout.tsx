import { AppShell } from "@/components/app-shell";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { TeamSwitcher } from "@/components/team-switcher";
import { requireUser } from "@/lib/auth";
import { countUnreadNotifications } from "@/lib/notifications/read-notifications";
import { listTeamsForUser } from "@/lib/teams/manage-teams";
import { emailVerificationPending } from "@/lib/users/verify-email";
import { SignOutButton } from "./_components/sign-out-button";
import { VerifyEmailBanner } from "./_components/verify-email-banner";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  // Verification is required and not done: every page says so, with a way to get a new link.
  const verifying = await emailVerificationPending(user.id);
  const teams = await listTeamsForUser(user.id);
  const unread = await countUnreadNotifications(user.id);
  const nav = [{ href: "/dashboard", label: "Keys" }, { href: "/dashboard/sessions", label: "Sessions" }, { href: "/account", label: "Account" }, ...(user.role === "ADMIN" ? [{ href: "/admin", label: "Admin" }] : [])];
  return (
    <AppShell nav={nav} email={user.email} signOut={<SignOutButton />} bell={<NotificationBell unread={unread} />} switcher={<TeamSwitcher teams={teams.map(({ slug, name }) => ({ slug, name }))} />}>
      {verifying && <VerifyEmailBanner email={user.email} />}
      {children}
    </AppShell>
  );
}
