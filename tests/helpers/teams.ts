import { randomUUID } from "node:crypto";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { db } from "@/lib/db";
import { addTeamMember } from "@/lib/teams/members";
import { createTeam } from "@/lib/teams/manage-teams";
import type { TeamRole } from "@/lib/teams/team-policy";
import { createTestUser } from "./factories";

export const auditAs = (userId: string | null) => ({ actorId: userId, ip: "127.0.0.1", userAgent: "vitest" });

/** A slug no other test file will choose. */
export const uniqueSlug = (label = "team") => `${label}-${randomUUID().slice(0, 8)}`;

/**
 * A team made through lib (createTeam, addTeamMember) with one member per role given,
 * e.g. `{ owner: "owner", dev: "developer" }` (the first must be an owner).
 */
export async function createTestTeam<Names extends string>(roles: Record<Names, TeamRole>) {
  const names = Object.keys(roles) as Names[];
  const users = {} as Record<Names, Awaited<ReturnType<typeof createTestUser>>>;
  for (const name of names) users[name] = await createTestUser({ name });
  const [first] = names;
  if (roles[first] !== "owner") throw new Error("The first member of a test team must be its owner.");
  const team = await createTeam({ name: "Test Team", slug: uniqueSlug(), ownerId: users[first].id }, auditAs(users[first].id));
  for (const name of names.slice(1)) {
    await addTeamMember({ team: { teamId: team.id }, actor: { kind: "operator" }, email: users[name].email, role: roles[name] }, auditAs(null));
  }
  return { team, users };
}

/** A team key created by `creatorId` through createApiKey, as the dashboard makes one. */
export function createTeamKey(teamId: string, creatorId: string, overrides: { name?: string; scopes?: string[] } = {}) {
  return createApiKey(
    { ownerId: creatorId, teamId, name: overrides.name ?? "team key", environment: "live", scopes: overrides.scopes ?? ["me:read", "keys:read", "keys:write"] },
    auditAs(creatorId),
  );
}

/** Writes a key into a team as if `creatorId` had created it there before (for a member who since became a viewer or left). */
export async function insertTeamKeyCreatedBy(teamId: string, creatorId: string) {
  const { key, secret } = await createApiKey({ ownerId: creatorId, name: "made earlier", environment: "live", scopes: ["me:read", "keys:read", "keys:write"] }, auditAs(creatorId));
  await db.apiKey.update({ where: { id: key.id }, data: { teamId } });
  return { key, secret };
}
