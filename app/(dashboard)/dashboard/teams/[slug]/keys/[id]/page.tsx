import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getKeyForTeam } from "@/lib/api-keys/list-api-keys";
import { teamKeyCreators } from "@/lib/teams/team-key-creators";
import { mayManageTeamKey } from "@/lib/teams/team-policy";
import { dailyUsage } from "@/lib/usage/read-usage";
import { apiOrigin } from "../../../../keys/_components/api-origin";
import { KeyDetailsView } from "../../../../keys/_components/key-details-view";
import { teamScope } from "../../../../keys/_components/key-scope-paths";
import { scopeOptions } from "../../../../keys/_components/key-settings";
import { loadTeamPage } from "../../load-team-page";

export const metadata: Metadata = { title: "Team key" };

export default async function TeamKeyPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { user, team, role } = await loadTeamPage(slug);
  // Another team's key (or a personal key) answers exactly like one that does not exist.
  const key = await getKeyForTeam(id, { teamId: team.id, userId: user.id });
  if (!key) notFound();
  const [usage, origin, creators] = await Promise.all([dailyUsage([key.id]), apiOrigin(), teamKeyCreators([key])]);
  return (
    <KeyDetailsView
      keyRow={key}
      scope={teamScope(team.slug)}
      usage={usage}
      scopes={scopeOptions(false)}
      apiOrigin={origin}
      canManage={mayManageTeamKey(role, { creatorId: key.ownerId }, user.id)}
      viewerId={user.id}
      createdBy={creators.get(key.id) ?? null}
    />
  );
}
