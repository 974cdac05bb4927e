import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/format/dates";
import { requireAdmin } from "@/lib/auth";
import { listAllTeams } from "@/lib/teams/manage-teams";
import { AdminTable } from "../_components/admin-table";
import { SuspendControls } from "./suspend-controls";

export const metadata: Metadata = { title: "Teams" };

export default async function AdminTeamsPage() {
  await requireAdmin();
  const teams = await listAllTeams();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Teams</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Suspending a team stops all its keys at once; its owners see the reason. Only the site&apos;s admins can lift a suspension they made.</p>
      </div>
      <AdminTable caption="Teams" headers={["Team", "Created", "Members", "Keys (not revoked)", "Status", ""]} empty={teams.length ? undefined : "No teams yet."}>
        {teams.map((team) => (
          <tr key={team.id} data-testid={`team-row-${team.slug}`} className="align-top">
            <td className="px-4 py-3">
              <Link href={`/admin/teams/${team.slug}`} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">{team.name}</Link>
              <code className="block font-mono text-xs text-zinc-500 dark:text-zinc-400">{team.slug}</code>
            </td>
            <td className="px-4 py-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400"><Time date={team.createdAt} /></td>
            <td className="px-4 py-3 tabular-nums">{team.memberCount}</td>
            <td className="px-4 py-3 tabular-nums">{team.unrevokedKeyCount}</td>
            <td className="px-4 py-3">
              {team.suspendedAt ? <Badge tone="red">Suspended</Badge> : <Badge tone="green">Active</Badge>}
              {team.suspendedReason && <span className="mt-1 block max-w-60 text-xs text-zinc-600 dark:text-zinc-400">{team.suspendedReason}</span>}
            </td>
            <td className="px-4 py-2 text-right">
              <SuspendControls team={team} />
            </td>
          </tr>
        ))}
      </AdminTable>
    </div>
  );
}
