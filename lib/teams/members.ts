import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { emailSchema } from "../validations/auth";
import { TeamError } from "./errors";
import { authorizeTeam, currentTeamRole, lockTeam, type TeamActor, type TeamRef } from "./team-access";
import { mayAssignRole, maySendInvite, type TeamRole, teamRoleSchema } from "./team-policy";

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

function parseRole(role: unknown): TeamRole {
  const parsed = teamRoleSchema.safeParse(role);
  if (!parsed.success) throw new TeamError("invalid_input", "Choose a role: owner, admin, developer or viewer.", "role");
  return parsed.data;
}

/** Refuses when `actorRole` may not give or take `targetRole` (owners manage owners, admins the rest). The operator may. */
function assertMayAssign(actorRole: TeamRole | null, actor: TeamActor, targetRole: TeamRole) {
  if (actor.kind === "operator") return;
  if (!actorRole || !mayAssignRole(actorRole, targetRole)) {
    throw new TeamError("forbidden", targetRole === "owner" ? "Only an owner can manage owners." : "Your role in this team does not allow that.");
  }
}

/** Refuses a change that would leave the team without an owner (the team row is locked first). */
async function assertAnotherOwner(tx: Tx, teamId: string, userId: string) {
  const others = await tx.teamMember.count({ where: { teamId, role: "owner", userId: { not: userId }, user: { disabledAt: null, deletedAt: null } } });
  if (others === 0) throw new TeamError("last_owner", "A team always keeps at least one owner: make someone else an owner first.");
}

/**
 * Withdraws the pending invitations `userId` sent in a team that their role now (`role`;
 * null: no longer a member) could not send: someone removed, leaving or demoted must not come
 * back, or bring a friend in, through a link they made while they could. Each withdrawal is
 * audited as team.invite_revoked. Call it in the transaction of the change.
 */
export async function withdrawInvitesSentBy(tx: Tx, teamId: string, userId: string, role: TeamRole | null, context: AuditContext) {
  const now = new Date();
  const pending = await tx.teamInvite.findMany({
    where: { teamId, invitedById: userId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, email: true, role: true },
  });
  for (const invite of pending) {
    if (maySendInvite(role, invite.role)) continue;
    const { count } = await tx.teamInvite.updateMany({ where: { id: invite.id, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
    if (count === 1) {
      await writeAuditEvent(tx, "team.invite_revoked", context, { teamId, details: { inviteId: invite.id, email: invite.email, role: invite.role, reason: "inviter_lost_role" } });
    }
  }
}

/** The members of a team with their roles (any member; a site admin too). */
export async function listTeamMembers(input: { team: TeamRef; actor: TeamActor }) {
  const { team } = await authorizeTeam(db, input.team, input.actor, "team.view");
  const rows = await db.teamMember.findMany({
    where: { teamId: team.id },
    orderBy: [{ createdAt: "asc" }, { userId: "asc" }],
    select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true, disabledAt: true, deletedAt: true } } },
  });
  return rows.map((row) => ({
    userId: row.user.id,
    email: row.user.email,
    name: row.user.name,
    role: row.role,
    joinedAt: row.createdAt,
    /** A disabled or deleted account acts in no team; its keys stay the team's. */
    inactive: Boolean(row.user.disabledAt || row.user.deletedAt),
  }));
}

/**
 * Adds an existing user to a team directly (the CLI, or an admin adding someone by email);
 * people outside the site are invited instead (invitations.ts).
 */
export async function addTeamMember(input: { team: TeamRef; actor: TeamActor; email: string; role: TeamRole }, context: AuditContext) {
  const role = parseRole(input.role);
  const email = emailSchema.safeParse(input.email);
  if (!email.success) throw new TeamError("invalid_input", "Enter a valid email address.", "email");
  return db.$transaction(async (tx) => {
    const { team, role: actorRole } = await authorizeTeam(tx, input.team, input.actor, "members.manage");
    assertMayAssign(actorRole, input.actor, role);
    await lockTeam(tx, team.id);
    const user = await tx.user.findFirst({ where: { email: email.data, deletedAt: null }, select: { id: true, email: true, disabledAt: true } });
    if (!user) throw new TeamError("not_found", "No account uses that email address: invite them instead.", "email");
    if (user.disabledAt) throw new TeamError("invalid_state", "That account is disabled.", "email");
    if (await tx.teamMember.findUnique({ where: { teamId_userId: { teamId: team.id, userId: user.id } } })) {
      throw new TeamError("conflict", `${user.email} is already a member.`, "email");
    }
    await tx.teamMember.create({ data: { teamId: team.id, userId: user.id, role } });
    await writeAuditEvent(tx, "team.member_added", context, { teamId: team.id, userId: user.id, details: { email: user.email, role } });
    return { userId: user.id, email: user.email, role };
  });
}

/**
 * Changes a member's role: admins between admin, developer and viewer; only owners give or
 * take the owner role. The last owner cannot be demoted. Takes effect on the member's next
 * request (every team action reads the role from the database); invitations they sent that
 * the new role could not send are withdrawn (withdrawInvitesSentBy).
 */
export async function changeMemberRole(input: { team: TeamRef; actor: TeamActor; userId: string; role: TeamRole }, context: AuditContext) {
  const role = parseRole(input.role);
  return db.$transaction(async (tx) => {
    const { team, role: actorRole } = await authorizeTeam(tx, input.team, input.actor, "members.manage");
    await lockTeam(tx, team.id);
    const member = await tx.teamMember.findUnique({ where: { teamId_userId: { teamId: team.id, userId: input.userId } }, select: { role: true } });
    if (!member) throw new TeamError("not_found", "No such member.");
    if (member.role === role) throw new TeamError("invalid_state", `This member is already ${role === "owner" || role === "admin" ? "an" : "a"} ${role}.`);
    assertMayAssign(actorRole, input.actor, member.role);
    assertMayAssign(actorRole, input.actor, role);
    if (member.role === "owner") await assertAnotherOwner(tx, team.id, input.userId);
    await tx.teamMember.update({ where: { teamId_userId: { teamId: team.id, userId: input.userId } }, data: { role } });
    await withdrawInvitesSentBy(tx, team.id, input.userId, role, context);
    await writeAuditEvent(tx, "team.role_changed", context, { teamId: team.id, userId: input.userId, details: { from: member.role, to: role } });
    return { userId: input.userId, role };
  });
}

/**
 * Removes a member (admins remove non-owners, owners anyone; never the last owner). Their
 * sessions stay; their access to the team ends on their next request, and the invitations
 * they sent and nobody has accepted yet are withdrawn. The keys they made
 * for the team stay the team's and keep working.
 */
export async function removeTeamMember(input: { team: TeamRef; actor: TeamActor; userId: string }, context: AuditContext) {
  return db.$transaction(async (tx) => {
    const { team, role: actorRole } = await authorizeTeam(tx, input.team, input.actor, "members.manage");
    await lockTeam(tx, team.id);
    const member = await tx.teamMember.findUnique({
      where: { teamId_userId: { teamId: team.id, userId: input.userId } },
      select: { role: true, user: { select: { email: true } } },
    });
    if (!member) throw new TeamError("not_found", "No such member.");
    assertMayAssign(actorRole, input.actor, member.role);
    if (member.role === "owner") await assertAnotherOwner(tx, team.id, input.userId);
    await tx.teamMember.delete({ where: { teamId_userId: { teamId: team.id, userId: input.userId } } });
    await withdrawInvitesSentBy(tx, team.id, input.userId, null, context);
    await writeAuditEvent(tx, "team.member_removed", context, { teamId: team.id, userId: input.userId, details: { email: member.user.email, role: member.role } });
    return { userId: input.userId };
  });
}

/** Leaves a team (any member; the last owner must hand over first). */
export async function leaveTeam(input: { team: TeamRef; userId: string }, context: AuditContext) {
  return db.$transaction(async (tx) => {
    const { team } = await authorizeTeam(tx, input.team, { kind: "member", userId: input.userId }, "team.view");
    await lockTeam(tx, team.id);
    const role = await currentTeamRole(tx, team.id, input.userId);
    if (role === "owner") await assertAnotherOwner(tx, team.id, input.userId);
    await tx.teamMember.delete({ where: { teamId_userId: { teamId: team.id, userId: input.userId } } });
    await withdrawInvitesSentBy(tx, team.id, input.userId, null, context);
    await writeAuditEvent(tx, "team.member_left", context, { teamId: team.id, userId: input.userId, details: { role } });
    return { teamId: team.id };
  });
}

/**
 * The teams (not deleted) in which this user is the only active owner. Deleting the account
 * (or anything else that ends a user's part in their teams) must refuse while this is not
 * empty: a team always keeps at least one owner. Pass the transaction of that change.
 */
export async function teamsOnlyOwnedBy(tx: Tx | typeof db, userId: string) {
  const owned = await tx.teamMember.findMany({ where: { userId, role: "owner", team: { deletedAt: null } }, select: { team: { select: { id: true, slug: true, name: true } } } });
  const alone = [];
  for (const { team } of owned) {
    const others = await tx.teamMember.count({ where: { teamId: team.id, role: "owner", userId: { not: userId }, user: { disabledAt: null, deletedAt: null } } });
    if (others === 0) alone.push(team);
  }
  return alone;
}
