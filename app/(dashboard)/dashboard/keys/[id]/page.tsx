import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ConfirmActionButton } from "@/components/confirm-action-button";
import { getKeyForOwner } from "@/lib/api-keys/list-api-keys";
import { requireUser } from "@/lib/auth";
import { listTeamsForUser } from "@/lib/teams/manage-teams";
import { teamPermissions } from "@/lib/teams/team-policy";
import { dailyUsage } from "@/lib/usage/read-usage";
import { moveKeyToTeamAction } from "../actions";
import { apiOrigin } from "../_components/api-origin";
import { KeyDetailsView } from "../_components/key-details-view";
import { PERSONAL_SCOPE } from "../_components/key-scope-paths";
import { scopeOptions } from "../_components/key-settings";

export const metadata: Metadata = { title: "Key" };

export default async function KeyPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  // Another user's key id answers exactly like one that does not exist.
  const key = await getKeyForOwner(id, user.id);
  if (!key) notFound();
  const [usage, origin, teams] = await Promise.all([dailyUsage([key.id]), apiOrigin(), listTeamsForUser(user.id)]);
  // The teams this user's role may move keys into (lib/teams' rule; moveKeyToTeam checks it again).
  const targets = teams.filter((team) => teamPermissions(team.role).moveKeysIn && !team.suspendedAt);
  const move = targets.length ? (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <p className="max-w-sm text-sm text-zinc-600 dark:text-zinc-400">Give this key to a team: it keeps its secret, and stops depending on your account.</p>
      <ConfirmActionButton
        action={moveKeyToTeamAction}
        label="Move to a team"
        buttonVariant="secondary"
        title="Move the key to a team"
        description={`“${key.name}” becomes the team's: its admins and owners manage it, and it keeps working if you leave. The secret does not change.`}
        submitLabel="Move key"
        hidden={{ keyId: key.id }}
        fields={[{ name: "moveTo", label: "Team", options: targets.map((team) => ({ value: team.slug, label: team.name })), defaultValue: targets[0].slug }]}
      />
    </div>
  ) : null;
  return <KeyDetailsView keyRow={key} scope={PERSONAL_SCOPE} usage={usage} scopes={scopeOptions(user.role === "ADMIN")} apiOrigin={origin} canManage viewerId={user.id} more={move} />;
}
