import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TeamError } from "@/lib/teams/errors";
import { asMember } from "@/lib/teams/team-access";
import { listTeamAuditEvents } from "@/lib/teams/team-audit";
import { auditFiltersFrom } from "@/app/(admin)/admin/audit/audit-filters";
import { AuditLogView, TEAM_AUDIT_ACTIONS } from "@/app/(admin)/admin/audit/audit-log-view";
import { loadTeamPage } from "../load-team-page";

export const metadata: Metadata = { title: "Team audit log" };

/** The team's audit log: its keys' events and its own (members, roles, invitations, suspension). */
export default async function TeamAuditPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, team, permissions } = await loadTeamPage((await params).slug);
  const { params: filters, input } = auditFiltersFrom(await searchParams);
  let page;
  try {
    page = await listTeamAuditEvents({ team: { teamId: team.id }, actor: asMember(user.id) }, { ...input, take: 50 });
  } catch (error) {
    // A role that may not read it sees no such page, as a non-member sees no team.
    if (error instanceof TeamError) notFound();
    throw error;
  }
  return (
    <AuditLogView
      basePath={`/dashboard/teams/${team.slug}/audit`}
      filters={filters}
      items={page.items}
      nextCursor={page.nextCursor}
      actions={TEAM_AUDIT_ACTIONS}
      intro={`Every change to ${team.name}'s keys, members, roles and invitations, written in the same transaction as the change.`}
      canExport={permissions.exportAudit}
    />
  );
}
