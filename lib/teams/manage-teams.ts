import { type AuditContext, writeAuditEvent } from "../audit";
import { invalidate } from "../api-keys/key-events";
import { db } from "../db";
import { notifyUser } from "../notifications/notify-user";
import { TeamError } from "./errors";
import { actorIdOf, authorizeTeam, currentTeamRole, type TeamActor, type TeamRef, type TeamRow, teamSelect } from "./team-access";
import { teamNameSchema, teamPermissions, teamSlugSchema, suspendReasonSchema } from "./team-policy";

function parseOr<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, value: unknown, field: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new TeamError("invalid_input", parsed.error.issues[0]?.message ?? "Not valid.", field);
  return parsed.data;
}

/**
 * Creates a team with `ownerId` as its first owner. The slug is checked (teamSlugSchema)
 * and must be free, including slugs of deleted teams (their audit trail keeps the name).
 */
export async function createTeam(input: { name: string; slug: string; ownerId: string }, context: AuditContext): Promise<TeamRow> {
  const name = parseOr(teamNameSchema, input.name, "name");
  const slug = parseOr(teamSlugSchema, input.slug, "slug");
  return db.$transaction(async (tx) => {
    const owner = await tx.user.findUnique({ where: { id: input.ownerId }, select: { id: true, disabledAt: true, deletedAt: true } });
    if (!owner || owner.deletedAt) throw new TeamError("not_found", "No such user.", "owner");
    if (owner.disabledAt) throw new TeamError("invalid_state", "A disabled account cannot own a team.", "owner");
    if (await tx.team.findUnique({ where: { slug }, select: { id: true } })) throw new TeamError("conflict", "That URL name is taken.", "slug");
    const team = await tx.team
      .create({ data: { name, slug, members: { create: { userId: owner.id, role: "owner" } } }, select: teamSelect })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === "P2002") throw new TeamError("conflict", "That URL name is taken.", "slug");
        throw error;
      });
    await writeAuditEvent(tx, "team.created", context, { teamId: team.id, userId: owner.id, details: { name, slug } });
    return team;
  });
}

/** Renames a team (admins and owners). The URL name stays. */
export async function renameTeam(input: { team: TeamRef; actor: TeamActor; name: string }, context: AuditContext): Promise<TeamRow> {
  const name = parseOr(teamNameSchema, input.name, "name");
  const team = await db.$transaction(async (tx) => {
    const { team } = await authorizeTeam(tx, input.team, input.actor, "team.rename");
    const updated = await tx.team.update({ where: { id: team.id }, data: { name }, select: teamSelect });
    await writeAuditEvent(tx, "team.updated", context, { teamId: team.id, details: { name: { from: team.name, to: name } } });
    return updated;
  });
  // Key snapshots carry the team's name (GET /api/v1/me shows it).
  invalidate({ kind: "team", id: team.id });
  return team;
}

/** The teams a user is a member of, for the switcher: newest membership last. */
export async function listTeamsForUser(userId: string) {
  const rows = await db.teamMember.findMany({
    where: { userId, team: { deletedAt: null } },
    orderBy: { createdAt: "asc" },
    select: { role: true, team: { select: teamSelect } },
  });
  return rows.map(({ role, team }) => ({ id: team.id, slug: team.slug, name: team.name, role, suspendedAt: team.suspendedAt, suspendedReason: team.suspendedReason }));
}

/**
 * A user's membership in the team with this URL name, or null when they are not a member
 * (or the team does not exist or was deleted): the page answers 404 for all of these alike.
 * `permissions` is for showing and hiding controls only; every change checks again.
 */
export async function findTeamMembership(userId: string, slug: string) {
  const team = await db.team.findFirst({ where: { slug: slug.trim().toLowerCase(), deletedAt: null }, select: teamSelect });
  if (!team) return null;
  const role = await currentTeamRole(db, team.id, userId);
  if (!role) return null;
  return { team, role, permissions: teamPermissions(role) };
}

/** A team that is not deleted, by its URL name (the CLI), or null. */
export function findTeamBySlug(slug: string) {
  return db.team.findFirst({ where: { slug: slug.trim().toLowerCase(), deletedAt: null }, select: teamSelect });
}

/** Every team that is not deleted, with its member and active-key counts (the CLI's `teams list`, the admin console). */
export async function listAllTeams() {
  const teams = await db.team.findMany({
    where: { deletedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { ...teamSelect, _count: { select: { members: true } } },
  });
  const keyCounts = await db.apiKey.groupBy({ by: ["teamId"], where: { teamId: { in: teams.map((team) => team.id) }, revokedAt: null }, _count: { _all: true } });
  const keysOf = new Map(keyCounts.map((row) => [row.teamId, row._count._all]));
  return teams.map(({ _count, ...team }) => ({ ...team, memberCount: _count.members, unrevokedKeyCount: keysOf.get(team.id) ?? 0 }));
}

/**
 * Suspends a team (an owner, or a site admin): every key of the team is refused at once,
 * on every instance, as a revoke is. The reason is shown to the team's owners.
 */
export async function suspendTeam(input: { team: TeamRef; actor: TeamActor; reason: string }, context: AuditContext): Promise<TeamRow> {
  const reason = parseOr(suspendReasonSchema, input.reason, "reason");
  const team = await db.$transaction(async (tx) => {
    const { team } = await authorizeTeam(tx, input.team, input.actor, "team.suspend");
    const bySite = input.actor.kind !== "member";
    const { count } = await tx.team.updateMany({
      // A site admin (or the operator) also takes over a suspension an owner made, which its
      // owners could otherwise lift: an owner suspending first must not keep the site's out.
      where: { id: team.id, OR: [{ suspendedAt: null }, ...(bySite ? [{ suspendedById: { not: null } }] : [])] },
      // suspendedById names the member who suspended it from the team's page, and only them: a
      // site admin's (or the operator's) suspension records none, so no owner can lift it, even
      // when that admin is also one of the team's owners (the audit event keeps who it was).
      data: { suspendedAt: new Date(), suspendedReason: reason, suspendedById: input.actor.kind === "member" ? input.actor.userId : null },
    });
    if (count === 0) throw new TeamError("invalid_state", "This team is already suspended.");
    await writeAuditEvent(tx, "team.suspended", context, { teamId: team.id, details: { reason, by: input.actor.kind } });
    const suspended = await tx.team.findUniqueOrThrow({ where: { id: team.id }, select: teamSelect });
    // The owners are told why, on the dashboard and by mail, in this transaction (not one an admin disabled).
    const owners = await tx.teamMember.findMany({ where: { teamId: team.id, role: "owner", user: { disabledAt: null } }, select: { userId: true } });
    for (const owner of owners) {
      await notifyUser(tx, owner.userId, {
        kind: "team_suspended",
        title: `${team.name} is suspended`,
        body: `Every key of the team is refused until the suspension is lifted. Reason: ${reason}`,
        href: `/dashboard/teams/${team.slug}/settings`,
        dedupeKey: `team_suspended:${team.id}:${suspended.suspendedAt!.getTime()}:${owner.userId}`,
        mail: {
          subject: `${team.name} is suspended`,
          heading: `Your team ${team.name} is suspended`,
          paragraphs: [`Every API key of the team is refused until the suspension is lifted.`, `Reason: ${reason}`],
          action: { label: "Open the team", url: `/dashboard/teams/${team.slug}/settings` },
          footer: "You get this mail because you are an owner of this team.",
        },
      });
    }
    return suspended;
  });
  invalidate({ kind: "team", id: team.id });
  return team;
}

/**
 * Lifts a suspension. A site admin (or the operator) may lift any; an owner only one an
 * owner of this team made, so a team cannot undo a suspension the site's admins imposed.
 */
export async function unsuspendTeam(input: { team: TeamRef; actor: TeamActor }, context: AuditContext): Promise<TeamRow> {
  const team = await db.$transaction(async (tx) => {
    const { team } = await authorizeTeam(tx, input.team, input.actor, "team.suspend");
    if (!team.suspendedAt) throw new TeamError("invalid_state", "This team is not suspended.");
    if (input.actor.kind === "member") {
      const suspender = team.suspendedById ? await currentTeamRole(tx, team.id, team.suspendedById) : null;
      if (suspender !== "owner") throw new TeamError("forbidden", "The site's admins suspended this team; only they can lift it.");
    }
    await tx.team.update({ where: { id: team.id }, data: { suspendedAt: null, suspendedReason: null, suspendedById: null } });
    await writeAuditEvent(tx, "team.unsuspended", context, { teamId: team.id, details: { reason: team.suspendedReason, by: input.actor.kind } });
    return tx.team.findUniqueOrThrow({ where: { id: team.id }, select: teamSelect });
  });
  invalidate({ kind: "team", id: team.id });
  return team;
}

/**
 * Deletes a team (owners only): the row stays for the audit trail with deletedAt set, every
 * key of the team is revoked, pending invitations are revoked, and the team disappears
 * for its members.
 */
export async function deleteTeam(input: { team: TeamRef; actor: TeamActor }, context: AuditContext) {
  const team = await db.$transaction(async (tx) => {
    const { team } = await authorizeTeam(tx, input.team, input.actor, "team.delete");
    const now = new Date();
    const reason = "The team was deleted.";
    await tx.team.update({ where: { id: team.id }, data: { deletedAt: now } });
    // One statement revokes and returns the keys it revoked, so a key a member revokes at the same
    // moment is audited once, by whoever won. A key created at this very moment is refused all the
    // same: the key policy treats a deleted team's keys as suspended.
    const live = await tx.apiKey.updateManyAndReturn({
      where: { teamId: team.id, revokedAt: null },
      data: { revokedAt: now, revokedById: actorIdOf(input.actor), revokedReason: reason },
      select: { id: true, name: true, ownerId: true },
    });
    // Each key's own trail says it was revoked and why, as any revoke's does.
    for (const key of live) await writeAuditEvent(tx, "key.revoked", context, { keyId: key.id, userId: key.ownerId, teamId: team.id, details: { name: key.name, reason } });
    await tx.teamInvite.updateMany({ where: { teamId: team.id, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
    await writeAuditEvent(tx, "team.deleted", context, { teamId: team.id, details: { name: team.name, slug: team.slug, keysRevoked: live.length } });
    return team;
  });
  invalidate({ kind: "team", id: team.id });
  return team;
}
