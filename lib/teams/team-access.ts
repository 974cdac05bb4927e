import { db } from "../db";
import { TeamError } from "./errors";
import { type TeamAction, type TeamRole, teamRoleAllows } from "./team-policy";

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];
/** The client or a transaction client: reads work with either. */
export type TeamDb = Tx | typeof db;

/**
 * Who is acting on a team:
 * - member: a signed-in user, judged by their current role in the team (a non-member gets not_found);
 * - site_admin: the admin console, which may view any team and suspend it, and otherwise acts as a member;
 * - operator: the CLI, run by whoever operates the server, which may do anything.
 */
export type TeamActor = { kind: "member"; userId: string } | { kind: "site_admin"; userId: string } | { kind: "operator" };

/** A signed-in user acting in their teams. */
export const asMember = (userId: string): TeamActor => ({ kind: "member", userId });

/** The audit actor of a team actor (the operator is recorded as nobody: the CLI says so in the user agent). */
export const actorIdOf = (actor: TeamActor) => (actor.kind === "operator" ? null : actor.userId);

const SITE_ADMIN_ACTIONS: ReadonlySet<TeamAction> = new Set(["team.view", "keys.view", "usage.view", "audit.view", "audit.export", "team.suspend"]);

export const teamSelect = {
  id: true,
  slug: true,
  name: true,
  createdAt: true,
  suspendedAt: true,
  suspendedReason: true,
  suspendedById: true,
  deletedAt: true,
} as const;

export type TeamRow = { id: string; slug: string; name: string; createdAt: Date; suspendedAt: Date | null; suspendedReason: string | null; suspendedById: string | null; deletedAt: Date | null };

/** Which team: by id or by URL name. */
export type TeamRef = { teamId: string } | { slug: string };

const whereRef = (ref: TeamRef) => ("teamId" in ref ? { id: ref.teamId } : { slug: ref.slug.trim().toLowerCase() });

/**
 * A user's role in a team now, or null: not a member, or an account that is disabled or
 * deleted (such a user acts in no team, though their team keys keep working).
 */
export async function currentTeamRole(tx: TeamDb, teamId: string, userId: string): Promise<TeamRole | null> {
  const member = await tx.teamMember.findUnique({
    where: { teamId_userId: { teamId, userId } },
    select: { role: true, user: { select: { disabledAt: true, deletedAt: true } } },
  });
  if (!member || member.user.disabledAt || member.user.deletedAt) return null;
  return member.role;
}

/**
 * Loads a team that is not deleted and checks that `actor` may do `action` in it. A
 * non-member (or a member of another team) gets not_found, exactly as for a team that
 * does not exist; a member whose role does not allow it gets forbidden. Returns the team
 * and the actor's role (null for the operator and a site admin who is not a member).
 */
export async function authorizeTeam(tx: TeamDb, ref: TeamRef, actor: TeamActor, action: TeamAction): Promise<{ team: TeamRow; role: TeamRole | null }> {
  const team = await tx.team.findFirst({ where: { ...whereRef(ref), deletedAt: null }, select: teamSelect });
  if (!team) throw new TeamError("not_found", "No such team.");
  if (actor.kind === "operator") return { team, role: null };
  const role = await currentTeamRole(tx, team.id, actor.userId);
  if (role && teamRoleAllows(role, action)) return { team, role };
  // A site admin's reach is checked here too, not only by the console's guard: the account
  // must be an enabled admin now.
  const siteAdmin = actor.kind === "site_admin" && (await isEnabledSiteAdmin(tx, actor.userId));
  if (siteAdmin && SITE_ADMIN_ACTIONS.has(action)) return { team, role };
  if (!role && !siteAdmin) throw new TeamError("not_found", "No such team.");
  throw new TeamError("forbidden", "Your role in this team does not allow that.");
}

/** Whether the user is an enabled site admin now. */
export async function isEnabledSiteAdmin(tx: TeamDb, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { role: true, disabledAt: true, deletedAt: true } });
  return Boolean(user && user.role === "ADMIN" && !user.disabledAt && !user.deletedAt);
}

/** Refuses changes to a suspended team's keys (its members can still read, and an owner can leave or delete it). */
export function assertNotSuspended(team: TeamRow) {
  if (team.suspendedAt) throw new TeamError("invalid_state", `This team is suspended: ${team.suspendedReason ?? "no reason given"}.`);
}

/**
 * Locks the team's row for the rest of the transaction (an update that changes nothing but
 * updatedAt), so two member changes of one team run one after the other on PostgreSQL too:
 * two owners demoting each other at the same moment cannot leave the team with none.
 */
export async function lockTeam(tx: Tx, teamId: string) {
  await tx.team.update({ where: { id: teamId }, data: { updatedAt: new Date() }, select: { id: true } });
}
