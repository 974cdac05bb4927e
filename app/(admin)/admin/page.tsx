import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/format/dates";
import { listUsers } from "@/lib/admin/list-users";
import { requireAdmin } from "@/lib/auth";
import { adminResetTwoFactor, adminSetUserDisabled } from "./actions";
import { AdminActionButton } from "./_components/admin-action-button";
import { AdminTable } from "./_components/admin-table";
import { FilterBar } from "./_components/filter-bar";
import { Pager } from "./_components/pager";
import { readParams } from "./_components/read-params";

export const metadata: Metadata = { title: "Users" };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdmin();
  const params = readParams(await searchParams, ["search", "cursor"] as const);
  const { items, nextCursor } = await listUsers({ search: params.search, cursor: params.cursor, take: 50 });

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Disabling a user stops all their keys and ends their sessions at once.</p>
      </div>
      <FilterBar action="/admin" controls={[{ kind: "text", name: "search", label: "Email or name", value: params.search, placeholder: "ada@example.com" }]} />
      <AdminTable caption="Users" headers={["Email", "Created", "Keys (active / total)", "Last key use", "Email verified", "Two-factor", "Status", ""]} empty={items.length ? undefined : "No users match."}>
        {items.map((user) => (
          <tr key={user.id} data-testid={`user-row-${user.id}`}>
            <td className="px-4 py-3">
              <span className="font-medium">{user.email}</span>
              {user.role === "ADMIN" && <Badge tone="violet" className="ml-2">admin</Badge>}
              {user.name && <span className="block text-xs text-zinc-500 dark:text-zinc-400">{user.name}</span>}
            </td>
            <td className="px-4 py-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400"><Time date={user.createdAt} /></td>
            <td className="px-4 py-3 whitespace-nowrap">
              <Link href={`/admin/keys?owner=${encodeURIComponent(user.email)}`} className="text-indigo-600 hover:underline dark:text-indigo-400">
                {user.activeKeyCount} / {user.totalKeyCount}
              </Link>
            </td>
            <td className="px-4 py-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400"><Time date={user.lastActivityAt} fallback="Never" /></td>
            <td className="px-4 py-3">{user.emailVerifiedAt ? <Badge tone="green">Verified</Badge> : <Badge tone="amber">Unverified</Badge>}</td>
            <td className="px-4 py-3">
              {user.totpEnabledAt ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}
              {user.totpEnabledAt && (
                <AdminActionButton
                  action={adminResetTwoFactor}
                  label="Reset"
                  ariaLabel={`Reset two-factor for ${user.email}`}
                  title="Reset two-factor sign-in"
                  description={`${user.email} will sign in with a password alone and is signed out everywhere now; they get a notice by mail. Do this only when you have confirmed who is asking.`}
                  submitLabel="Reset two-factor"
                  variant="danger"
                  hidden={{ userId: user.id }}
                />
              )}
            </td>
            <td className="px-4 py-3">{user.disabledAt ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>}</td>
            <td className="px-4 py-2 text-right">
              {user.id !== admin.id &&
                (user.disabledAt ? (
                  <AdminActionButton
                    action={adminSetUserDisabled}
                    label="Enable"
                    ariaLabel={`Enable ${user.email}`}
                    title="Enable user"
                    description={`${user.email} can sign in again, and their keys that were not revoked work again.`}
                    submitLabel="Enable user"
                    hidden={{ userId: user.id, disabled: "false" }}
                  />
                ) : (
                  <AdminActionButton
                    action={adminSetUserDisabled}
                    label="Disable"
                    ariaLabel={`Disable ${user.email}`}
                    title="Disable user"
                    description={`${user.email} is signed out and every one of their keys is refused from the next request.`}
                    submitLabel="Disable user"
                    variant="danger"
                    hidden={{ userId: user.id, disabled: "true" }}
                  />
                ))}
            </td>
          </tr>
        ))}
      </AdminTable>
      <Pager basePath="/admin" params={{ search: params.search }} nextCursor={nextCursor} hasCursor={Boolean(params.cursor)} />
    </div>
  );
}
