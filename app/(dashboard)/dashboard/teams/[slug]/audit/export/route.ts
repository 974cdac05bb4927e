// GET /dashboard/teams/<slug>/audit/export – the team's filtered audit log as CSV (its owners
// and admins, by lib/teams' "audit.export"; anyone else, members of other teams included, gets 404)
import { auditCsvResponse } from "@/lib/admin/audit-csv";
import { currentUser } from "@/lib/auth";
import { TeamError } from "@/lib/teams/errors";
import { asMember } from "@/lib/teams/team-access";
import { exportTeamAuditEvents } from "@/lib/teams/team-audit";
import { auditFiltersFrom } from "@/app/(admin)/admin/audit/audit-filters";

const NOT_FOUND = () => new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });

export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const user = await currentUser();
  if (!user) return NOT_FOUND();
  const { slug } = await params;
  const { input } = auditFiltersFrom(Object.fromEntries(new URL(request.url).searchParams));
  const { cursor: _cursor, ...filters } = input;
  try {
    const { team, rows } = await exportTeamAuditEvents({ team: { slug: decodeURIComponent(slug) }, actor: asMember(user.id) }, filters);
    return auditCsvResponse(rows, `${team.slug}-audit`);
  } catch (error) {
    if (error instanceof TeamError) return NOT_FOUND();
    throw error;
  }
}
