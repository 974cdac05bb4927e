import { AppShell } from "@/components/app-shell";
import { requireUser } from "@/lib/auth";
import { SignOutButton } from "./_components/sign-out-button";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const nav = [{ href: "/dashboard", label: "Keys" }, { href: "/dashboard/sessions", label: "Sessions" }, ...(user.role === "ADMIN" ? [{ href: "/admin", label: "Admin" }] : [])];
  return (
    <AppShell nav={nav} email={user.email} signOut={<SignOutButton />}>
      {children}
    </AppShell>
  );
}
