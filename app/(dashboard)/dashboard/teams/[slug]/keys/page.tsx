import type { Metadata } from "next";
import { listKeysPageForTeam, teamKeyIds } from "@/lib/api-keys/list-api-keys";
import { env } from "@/lib/env";
import { teamKeyCreators } from "@/lib/teams/team-key-creators";
import { mayManageTeamKey } from "@/lib/teams/team-policy";
import { dailyUsage, requestsLast24h } from "@/lib/usage/read-usage";
import { apiOrigin } from "../../../keys/_components/api-origin";
import { readListParams, type SearchParams } from "../../../keys/_components/key-filters";
import { KeyListView } from "../../../keys/_components/key-list-view";
import { teamScope } from "../../../keys/_components/key-scope-paths";
import { scopeOptions } from "../../../keys/_components/key-settings";
import { loadTeamPage } from "../load-team-page";

export const metadata: Metadata = { title: "Team keys" };

/**
 * The team's keys: the personal key list's view over the team's keys, read as this member
 * (lib checks the membership again). Create, roll and revoke appear as the role allows
 * (lib/teams' teamPermissions and mayManageTeamKey); the actions are refused otherwise anyway.
 */
export default async function TeamKeysPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> }) {
  const { user, team, role, permissions } = await loadTeamPage((await params).slug);
  const reader = { teamId: team.id, userId: user.id };
  const query = readListParams(await searchParams);
  const [list, allIds, origin] = await Promise.all([
    listKeysPageForTeam(reader, { search: query.q, status: query.status, environment: query.env, includeEnded: query.show === "all", page: query.page }),
    teamKeyIds(reader),
    apiOrigin(),
  ]);
  const [usage, last24h, creators] = await Promise.all([dailyUsage(allIds), requestsLast24h(list.keys.map((key) => key.id)), teamKeyCreators(list.keys)]);
  const suspended = Boolean(team.suspendedAt);

  return (
    <KeyListView
      scope={teamScope(team.slug)}
      title={`${team.name} keys`}
      intro={
        <>
          Keys of the team: they keep working when the person who created them leaves. Up to {env.MAX_ACTIVE_KEYS_PER_TEAM} active keys.
        </>
      }
      list={list}
      params={query}
      usage={usage}
      usageLabel="All the team's keys"
      requests24h={last24h}
      apiOrigin={origin}
      scopes={scopeOptions(false)}
      canCreate={permissions.createKeys && !suspended}
      canManage={(key) => mayManageTeamKey(role, { creatorId: key.ownerId }, user.id)}
      creators={creators}
      emptyText={suspended ? "The team is suspended: no keys can be created." : "Your role in this team does not create keys: a developer, admin or owner can."}
    />
  );
}
