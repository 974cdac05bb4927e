import { db } from "../db";
import { currentTeamRole, isEnabledSiteAdmin, type TeamDb } from "../teams/team-access";
import { teamRoleAllows } from "../teams/team-policy";
import { ApiKeyError } from "./errors";
import type { KeySnapshot } from "./verification-cache";

/**
 * Whose keys a reader or a changer works on: one person's personal keys, or one team's
 * keys as seen by a member (`userId`) within their current role. A personal key's world is
 * its owner's personal keys; a team key's world is its team, seen with its creator's role
 * now (`viaKey`), so a team key whose creator left can no longer read or manage the team.
 */
export type KeyScope = { ownerId: string } | { team: TeamKeyReader };

/**
 * A reader of a team's keys: a member (by their role now), a team key's creator (`viaKey`),
 * or, with `siteAdmin`, the admin console (the user must be an enabled site admin now;
 * reading only: changes always go by team role or through the admin's own paths).
 */
export type TeamKeyReader = { teamId: string; userId: string; viaKey?: boolean; siteAdmin?: boolean };

/** The scope a calling key acts in through /api/v1. */
export function callerKeyScope(key: Pick<KeySnapshot, "owner" | "team">): KeyScope {
  return key.team ? { team: { teamId: key.team.id, userId: key.owner.id, viaKey: true } } : { ownerId: key.owner.id };
}

/**
 * The where clause of the keys a scope may read, after checking the team member may view
 * keys now (a non-member: not_found; a team key whose creator left: forbidden_role).
 */
export async function readableKeysWhere(scope: KeyScope, tx: TeamDb = db): Promise<{ ownerId: string; teamId: null } | { teamId: string }> {
  if ("ownerId" in scope) return { ownerId: scope.ownerId, teamId: null };
  const team = await tx.team.findFirst({ where: { id: scope.team.teamId, deletedAt: null }, select: { id: true } });
  const role = team ? await currentTeamRole(tx, scope.team.teamId, scope.team.userId) : null;
  const allowed = (role && teamRoleAllows(role, "keys.view")) || (team && scope.team.siteAdmin && (await isEnabledSiteAdmin(tx, scope.team.userId)));
  if (!allowed) {
    if (team && scope.team.viaKey) throw new ApiKeyError("forbidden_role", "The person who created this key is no longer a member of its team: the key works, but cannot read the team's keys.");
    throw new ApiKeyError("not_found", "No such key.");
  }
  return { teamId: scope.team.teamId };
}

/** The change target of a key in a scope (change-key.ts's KeyTarget). */
export function keyTargetIn(scope: KeyScope, keyId: string) {
  if ("ownerId" in scope) return { keyId, ownerId: scope.ownerId };
  const { teamId, userId, viaKey } = scope.team;
  return { keyId, team: { teamId, userId, viaKey } };
}
