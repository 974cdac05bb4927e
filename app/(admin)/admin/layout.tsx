import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { requireAdmin } from "@/lib/auth";
import { SignOutButton } from "../../(dashboard)/_components/sign-out-button";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · Keyport" } };

/** Anyone who is not an admin gets a 404 from requireAdmin: the console does not admit it exists. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const admin = await requireAdmin();
  const nav = [
    { href: "/admin", label: "Users" },
    { href: "/admin/keys", label: "Keys" },
    { href: "/admin/teams", label: "Teams" },
    { href: "/admin/audit", label: "Audit log" },
    { href: "/dashboard", label: "My keys" },
  ];
  return (
    <AppShell nav={nav} email={admin.email} signOut={<SignOutButton />}>
      {children}
    </AppShell>
  );
}
