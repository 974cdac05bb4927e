import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { formatAbsolute, Time } from "@/components/format/dates";
import { listAllKeys } from "@/lib/admin/list-keys";
import { KEY_STATUS_LABELS } from "@/lib/api-keys/key-status";
import { requireAdmin } from "@/lib/auth";
import { db } from "@/lib/db";
import { TeamError } from "@/lib/teams/errors";
import { listTeamMembers } from "@/lib/teams/members";
import { authorizeTeam } from "@/lib/teams/team-access";
import { TEAM_ROLE_LABELS } from "@/lib/teams/team-policy";
import { AdminTable } from "../../_components/admin-table";
import { Pager } from "../../_components/pager";
import { readParams } from "../../_components/read-params";
import { SuspendControls } from "../suspend-controls";

export const metadata: Metadata = { title: "Team" };

/** One team as the site's admins see it: its members and roles, its keys, its suspension. */
export default async function AdminTeamPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdmin();
  const { slug } = await params;
  const { cursor } = readParams(await searchParams, ["cursor"] as const);
  const actor = { kind: "site_admin" as const, userId: admin.id };
  let row;
  try {
    // lib/teams' own check for a site admin viewing a team (and the team's row).
    ({ team: row } = await authorizeTeam(db, { slug: decodeURIComponent(slug) }, actor, "team.view"));
  } catch (error) {
    if (error instanceof TeamError) notFound();
    throw error;
  }
  const members = await listTeamMembers({ team: { teamId: row.id }, actor });
  const keys = await listAllKeys({ teamId: row.id, cursor, take: 50 });
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/admin/teams" className="text-indigo-600 hover:underline dark:text-indigo-400">← All teams</Link>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{row.name}</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400"><code className="font-mono">{row.slug}</code> · created <Time date={row.createdAt} /></p>
        </div>
        <SuspendControls team={row} />
      </div>
      {row.suspendedAt && (
        <p role="status" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-300">
          Suspended {formatAbsolute(row.suspendedAt)}{row.suspendedReason ? `: ${row.suspendedReason}` : "."}
        </p>
      )}
      <section aria-labelledby="members" className="space-y-2">
        <h2 id="members" className="font-medium">Members</h2>
        <AdminTable caption="Members" headers={["Email", "Role", "Joined"]} empty={members.length ? undefined : "No members."}>
          {members.map((member) => (
            <tr key={member.userId}>
              <td className="px-4 py-3">
                {member.email}
                {member.inactive && <Badge tone="red" className="ml-2">disabled</Badge>}
              </td>
              <td className="px-4 py-3">{TEAM_ROLE_LABELS[member.role]}</td>
              <td className="px-4 py-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400"><Time date={member.joinedAt} /></td>
            </tr>
          ))}
        </AdminTable>
      </section>
      <section aria-labelledby="keys" className="space-y-2">
        <h2 id="keys" className="font-medium">Keys</h2>
        <AdminTable caption="Team keys" headers={["Key", "Created by", "Created", "Status"]} empty={keys.items.length ? undefined : "No keys."}>
          {keys.items.map((key) => (
            <tr key={key.id}>
              <td className="px-4 py-3">
                <span className="font-medium">{key.name}</span>
                <code className="block font-mono text-xs text-zinc-500 dark:text-zinc-400">{key.start}…</code>
              </td>
              <td className="px-4 py-3">{key.owner.email}</td>
              <td className="px-4 py-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400"><Time date={key.createdAt} /></td>
              <td className="px-4 py-3">{KEY_STATUS_LABELS[key.status]}</td>
            </tr>
          ))}
        </AdminTable>
        <Pager basePath={`/admin/teams/${row.slug}`} params={{}} nextCursor={keys.nextCursor} hasCursor={Boolean(cursor)} />
      </section>
    </div>
  );
}
