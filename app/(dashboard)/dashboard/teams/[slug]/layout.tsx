import { Badge } from "@/components/ui/badge";
import { TEAM_ROLE_LABELS } from "@/lib/teams/team-policy";
import { MainNav } from "@/components/main-nav";
import { loadTeamPage } from "./load-team-page";

/**
 * The frame of a team's pages: its name, the caller's role, its sections, and a suspension
 * notice (its reason for the owners, who can act on it). Every page below checks the
 * membership again itself: this layout is not re-rendered on every navigation.
 */
export default async function TeamLayout({ children, params }: { children: React.ReactNode; params: Promise<{ slug: string }> }) {
  const { team, role, permissions } = await loadTeamPage((await params).slug);
  const base = `/dashboard/teams/${team.slug}`;
  const sections = [
    { href: `${base}/keys`, label: "Keys" },
    { href: `${base}/settings`, label: "Settings" },
    ...(permissions.viewAudit ? [{ href: `${base}/audit`, label: "Audit log" }] : []),
  ];
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 pb-3 dark:border-zinc-800">
        <p className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
          <span>
            Team <strong className="text-zinc-950 dark:text-white">{team.name}</strong>
          </span>
          <Badge tone={role === "viewer" ? "zinc" : "violet"}>{TEAM_ROLE_LABELS[role]}</Badge>
        </p>
        <MainNav items={sections} label="Team" />
      </div>
      {team.suspendedAt && (
        <div role="status" data-testid="team-suspended" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-300">
          <strong>This team is suspended.</strong> Every one of its keys is refused.
          {role === "owner" ? (team.suspendedReason ? ` Reason: ${team.suspendedReason}` : " No reason was given.") : " Ask one of its owners why."}
        </div>
      )}
      {children}
    </div>
  );
}
