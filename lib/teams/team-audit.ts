import { collectAuditEvents, listAuditEvents, type ListAuditEventsInput } from "../admin/list-audit-events";
import { db } from "../db";
import { authorizeTeam, type TeamActor, type TeamRef } from "./team-access";

type TeamAuditFilters = Omit<ListAuditEventsInput, "teamId" | "targetUserId">;

/**
 * One page of a team's audit log, for a member whose role may read it ("audit.view"; a site
 * admin too). The team comes from the membership check, never from the filters, so no filter
 * reaches another team's events. (teams-ui wrote this read; teams-core owns the policy it asks.)
 */
export async function listTeamAuditEvents(input: { team: TeamRef; actor: TeamActor }, filters: TeamAuditFilters) {
  const { team } = await authorizeTeam(db, input.team, input.actor, "audit.view");
  return listAuditEvents({ ...filters, targetUserId: undefined, teamId: team.id });
}

/** Every event of a team's audit log the filters select, for the CSV export ("audit.export": owners and admins). */
export async function exportTeamAuditEvents(input: { team: TeamRef; actor: TeamActor }, filters: Omit<TeamAuditFilters, "cursor" | "take">) {
  const { team } = await authorizeTeam(db, input.team, input.actor, "audit.export");
  const rows = await collectAuditEvents({ ...filters, targetUserId: undefined, teamId: team.id });
  return { team, rows };
}
