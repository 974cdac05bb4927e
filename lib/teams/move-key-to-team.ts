import type { AuditContext } from "../audit";
import { assertRoomForKey, changeKey, publicKeySelect } from "../api-keys/change-key";
import { ApiKeyError } from "../api-keys/errors";
import { assertMayGrant, isUsableState } from "../api-keys/key-policy";
import { currentTeamRole } from "./team-access";
import { teamRoleAllows } from "./team-policy";

/**
 * Moves a personal key into a team, by its owner, who must be an admin or owner of the
 * team now. The secret does not change (callers keep working); from then on the key is the
 * team's: it no longer depends on the mover's account, counts towards the team's cap, and
 * is changed by team role. A key holding an admin-only scope must be narrowed first (a team
 * key cannot hold one). Audited as key.moved_to_team, in the team's log.
 */
export async function moveKeyToTeam(input: { keyId: string; userId: string; teamId: string }, context: AuditContext) {
  return changeKey({ keyId: input.keyId, ownerId: input.userId }, context, async (tx, key) => {
    const team = await tx.team.findFirst({ where: { id: input.teamId, deletedAt: null }, select: { id: true, slug: true, name: true, suspendedAt: true } });
    const role = team ? await currentTeamRole(tx, team.id, input.userId) : null;
    if (!team || !role) throw new ApiKeyError("not_found", "No such team.");
    if (!teamRoleAllows(role, "keys.move_in")) throw new ApiKeyError("forbidden_role", "Only a team's admins and owners can move keys into it.");
    if (team.suspendedAt) throw new ApiKeyError("invalid_state", "This team is suspended.");
    // A key in the middle of a roll moves with its replacement or not at all: move the replacement once the roll is done.
    if (key.rolledTo) throw new ApiKeyError("invalid_state", "This key has been rolled: move its replacement instead.");
    assertMayGrant({ ownerRole: key.owner.role, teamKey: true }, { ...key.access, expiresAt: null });
    const now = new Date();
    if (isUsableState(key.state)) await assertRoomForKey(tx, key.ownerId, now, team.id);
    const moved = await tx.apiKey.update({ where: { id: key.id }, data: { teamId: team.id }, select: publicKeySelect });
    return {
      result: moved,
      audit: { action: "key.moved_to_team", teamId: team.id, details: { name: key.name, team: { id: team.id, slug: team.slug, name: team.name } } },
    };
  });
}
