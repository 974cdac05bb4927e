import { createHash, randomBytes } from "node:crypto";
import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { enqueueMail } from "../mail/enqueue-mail";
import { portalUrl } from "../mail/render-mail";
import { AccountMailThrottledError, consumeInvitation, mayMailInvitation } from "../rate-limit/account-mail-throttle";
import { emailSchema } from "../validations/auth";
import { TeamError } from "./errors";
import { actorIdOf, assertNotSuspended, authorizeTeam, currentTeamRole, lockTeam, type TeamActor, type TeamDb, type TeamRef } from "./team-access";
import { INVITE_PATH, INVITE_TTL_MS, mayAssignRole, maySendInvite, TEAM_ROLE_LABELS, type TeamRole, teamRoleSchema } from "./team-policy";

const TEAM_SUSPENDED_INVITE = "This team is suspended: it takes no new members until the suspension is lifted.";

/** Only the SHA-256 of an invitation token is stored; the plaintext exists in the mail and the one response. */
export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

const inviteSelect = { id: true, email: true, role: true, expiresAt: true, createdAt: true, invitedBy: { select: { email: true } } } as const;

/**
 * Invites someone by email with a role (admins; only owners invite owners). Queues the
 * mail in the same transaction and returns the link once, for the team page to show as a
 * copyable link; only its hash is stored. A new invitation to the same address replaces a
 * pending one (the old link stops working).
 *
 * Throttled per inviter (a refusal) and per invited inbox (the invitation is made but not
 * mailed, `mailed: false`: its link is still shown to pass on by hand).
 */
export async function inviteTeamMember(input: { team: TeamRef; actor: TeamActor; email: string; role: TeamRole }, context: AuditContext, now = new Date()) {
  const email = emailSchema.safeParse(input.email);
  if (!email.success) throw new TeamError("invalid_input", "Enter a valid email address.", "email");
  const role = teamRoleSchema.safeParse(input.role);
  if (!role.success) throw new TeamError("invalid_input", "Choose a role: owner, admin, developer or viewer.", "role");
  const token = randomBytes(32).toString("base64url");
  const path = `${INVITE_PATH}${token}`;
  const invite = await db.$transaction(async (tx) => {
    const { team, role: actorRole } = await authorizeTeam(tx, input.team, input.actor, "invites.manage");
    if (input.actor.kind !== "operator" && (!actorRole || !mayAssignRole(actorRole, role.data))) {
      throw new TeamError("forbidden", "Only an owner can invite an owner.", "role");
    }
    // A suspended team mails nobody: suspending is the site admins' answer to a team that abuses its invitations.
    if (input.actor.kind !== "operator") assertNotSuspended(team);
    // Counted only once the inviter is allowed to invite, so nobody else can use up their allowance.
    const inviterId = actorIdOf(input.actor);
    const throttled = input.actor.kind !== "operator" && inviterId !== null;
    if (throttled) {
      await consumeInvitation(inviterId).catch((error: unknown) => {
        if (error instanceof AccountMailThrottledError) throw new TeamError("throttled", `Too many invitations: try again in ${Math.ceil(error.retryAfterSeconds / 60)} minutes.`, "email");
        throw error;
      });
    }
    await lockTeam(tx, team.id);
    const member = await tx.teamMember.findFirst({ where: { teamId: team.id, user: { email: email.data } }, select: { userId: true } });
    if (member) throw new TeamError("conflict", `${email.data} is already a member.`, "email");
    // A new invitation replaces a pending one, which withdraws it: only someone who may revoke
    // that one (revokeInvite's rule) may, so an admin cannot cancel an owner's owner invitation.
    const pending = await tx.teamInvite.findMany({ where: { teamId: team.id, email: email.data, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } }, select: { role: true } });
    if (input.actor.kind !== "operator" && pending.some((invite) => !actorRole || !mayAssignRole(actorRole, invite.role))) {
      throw new TeamError("forbidden", "An owner invited this address as an owner: only an owner can replace that invitation.", "email");
    }
    await tx.teamInvite.updateMany({ where: { teamId: team.id, email: email.data, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
    const invite = await tx.teamInvite.create({
      data: { teamId: team.id, email: email.data, role: role.data, tokenHash: hashInviteToken(token), invitedById: actorIdOf(input.actor), expiresAt: new Date(now.getTime() + INVITE_TTL_MS) },
      select: inviteSelect,
    });
    const mailed = throttled ? await mayMailInvitation(email.data) : true;
    const inviter = inviterId ? await tx.user.findUnique({ where: { id: inviterId }, select: { email: true, name: true } }) : null;
    if (mailed) await enqueueMail(tx, email.data, "team_invite", {
      subject: `Join ${team.name} on Keyport`,
      heading: `You are invited to ${team.name}`,
      paragraphs: [
        `${inviter ? (inviter.name ? `${inviter.name} (${inviter.email})` : inviter.email) : "An administrator"} invited ${email.data} to the team ${team.name} as ${TEAM_ROLE_LABELS[role.data].toLowerCase()}.`,
        `Sign in (or sign up) with this email address, verified, to accept. The link works once and for 7 days.`,
      ],
      action: { label: "Accept the invitation", url: path },
      footer: "If you did not expect this, ignore this mail: nothing happens unless you accept.",
    });
    await writeAuditEvent(tx, "team.invite_sent", context, { teamId: team.id, details: { inviteId: invite.id, email: email.data, role: role.data, mailed } });
    return { invite, mailed };
  });
  return { invite: invite.invite, inviteId: invite.invite.id, mailed: invite.mailed, url: portalUrl(path) };
}

/** Pending invitations of a team (not accepted, not revoked, not expired), newest first. */
export async function listPendingInvites(input: { team: TeamRef; actor: TeamActor }, now = new Date()) {
  const { team } = await authorizeTeam(db, input.team, input.actor, "team.view");
  return db.teamInvite.findMany({
    where: { teamId: team.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: inviteSelect,
  });
}

/** Revokes a pending invitation (admins; an owner invitation only by an owner). */
export async function revokeInvite(input: { team: TeamRef; actor: TeamActor; inviteId: string }, context: AuditContext) {
  return db.$transaction(async (tx) => {
    const { team, role: actorRole } = await authorizeTeam(tx, input.team, input.actor, "invites.manage");
    const invite = await tx.teamInvite.findFirst({ where: { id: input.inviteId, teamId: team.id }, select: { id: true, email: true, role: true } });
    if (!invite) throw new TeamError("not_found", "No such invitation.");
    if (input.actor.kind !== "operator" && (!actorRole || !mayAssignRole(actorRole, invite.role))) throw new TeamError("forbidden", "Only an owner can revoke an owner invitation.");
    const { count } = await tx.teamInvite.updateMany({ where: { id: invite.id, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) throw new TeamError("invalid_state", "This invitation is no longer pending.");
    await writeAuditEvent(tx, "team.invite_revoked", context, { teamId: team.id, details: { inviteId: invite.id, email: invite.email, role: invite.role } });
    return { inviteId: invite.id };
  });
}

type InviteState = "pending" | "accepted" | "revoked" | "expired";

function inviteState(invite: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date): InviteState {
  if (invite.acceptedAt) return "accepted";
  if (invite.revokedAt) return "revoked";
  return invite.expiresAt <= now ? "expired" : "pending";
}

async function findInvite(token: string) {
  if (typeof token !== "string" || token.length < 20 || token.length > 100) return null;
  return db.teamInvite.findUnique({
    where: { tokenHash: hashInviteToken(token) },
    select: { id: true, email: true, role: true, expiresAt: true, acceptedAt: true, revokedAt: true, invitedById: true, team: { select: { id: true, slug: true, name: true, deletedAt: true, suspendedAt: true } } },
  });
}

/**
 * Whether the member who sent an invitation could send it now: one from an account an admin
 * has since disabled (or that lost the role some other way) admits nobody while that lasts,
 * as one from a removed member is withdrawn (withdrawInvitesSentBy). The operator's always could.
 */
async function senderStillMay(tx: TeamDb, invite: { role: string; invitedById: string | null; team: { id: string } }) {
  if (!invite.invitedById) return true;
  return maySendInvite(await currentTeamRole(tx, invite.team.id, invite.invitedById), invite.role as TeamRole);
}

type Acceptor = { email: string; emailVerifiedAt: Date | null; disabledAt: Date | null; deletedAt: Date | null } | null;
const acceptorSelect = { id: true, email: true, emailVerifiedAt: true, disabledAt: true, deletedAt: true } as const;

/** Whether this signed-in user (null: nobody) may accept an invitation to `email`: the one rule acceptInvite and the page share. */
function standingOf(email: string, user: Acceptor): "can_accept" | "wrong_email" | "unverified" | "signed_out" {
  if (!user || user.disabledAt || user.deletedAt) return "signed_out";
  if (user.email !== email) return "wrong_email";
  return user.emailVerifiedAt ? "can_accept" : "unverified";
}

/**
 * What the acceptance page shows before accepting: the team, the role, the invited address,
 * the state, and (given the signed-in user's id) whether they may accept it, by the same
 * rule acceptInvite applies. Null for an unknown token.
 */
export async function previewInvite(token: string, now = new Date(), viewerUserId?: string | null) {
  const invite = await findInvite(token);
  if (!invite || invite.team.deletedAt) return null;
  const viewer = viewerUserId ? await db.user.findUnique({ where: { id: viewerUserId }, select: acceptorSelect }) : null;
  const state = inviteState(invite, now);
  return {
    teamName: invite.team.name,
    teamSlug: invite.team.slug,
    role: invite.role,
    email: invite.email,
    // acceptInvite refuses these, so the page says so before any click.
    state: state !== "pending" ? state : invite.team.suspendedAt ? "team_suspended" : !(await senderStillMay(db, invite)) ? "revoked" : state,
    expiresAt: invite.expiresAt,
    standing: standingOf(invite.email, viewer),
  };
}

/**
 * Accepts an invitation as the signed-in user `userId`: their VERIFIED email must be the
 * invited one. Single-use (a conditional update, so two tabs cannot both accept).
 * Distinct refusals: invite_wrong_email, invite_unverified, invite_expired, invite_used, invite_revoked.
 */
export async function acceptInvite(input: { token: string; userId: string }, context: AuditContext, now = new Date()) {
  const invite = await findInvite(input.token);
  if (!invite || invite.team.deletedAt) throw new TeamError("not_found", "This invitation link is not valid.");
  const state = inviteState(invite, now);
  if (state === "accepted") throw new TeamError("invite_used", "This invitation has already been used.");
  if (state === "revoked") throw new TeamError("invite_revoked", "This invitation was withdrawn. Ask for a new one.");
  if (state === "expired") throw new TeamError("invite_expired", "This invitation has expired. Ask for a new one.");
  if (invite.team.suspendedAt) throw new TeamError("invalid_state", TEAM_SUSPENDED_INVITE);
  const user = await db.user.findUnique({ where: { id: input.userId }, select: acceptorSelect });
  const standing = standingOf(invite.email, user);
  if (!user || standing === "signed_out") throw new TeamError("not_found", "This invitation link is not valid.");
  if (standing === "wrong_email") throw new TeamError("invite_wrong_email", `This invitation is for ${invite.email}; you are signed in as ${user.email}.`);
  if (standing === "unverified") throw new TeamError("invite_unverified", `Verify ${user.email} first (see the mail we sent), then open this link again.`);
  return db.$transaction(async (tx) => {
    await lockTeam(tx, invite.team.id);
    // Suspended since the check above: a suspended team takes no new members (a site admin suspends a team that abuses its invitations).
    if ((await tx.team.findUniqueOrThrow({ where: { id: invite.team.id }, select: { suspendedAt: true } })).suspendedAt) throw new TeamError("invalid_state", TEAM_SUSPENDED_INVITE);
    if (!(await senderStillMay(tx, invite))) throw new TeamError("invite_revoked", "This invitation was withdrawn. Ask for a new one.");
    const { count } = await tx.teamInvite.updateMany({ where: { id: invite.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } }, data: { acceptedAt: now } });
    if (count === 0) throw new TeamError("invite_used", "This invitation has already been used.");
    if (await tx.teamMember.findUnique({ where: { teamId_userId: { teamId: invite.team.id, userId: user.id } } })) {
      throw new TeamError("conflict", "You are already a member of this team.");
    }
    await tx.teamMember.create({ data: { teamId: invite.team.id, userId: user.id, role: invite.role } });
    await writeAuditEvent({ auditEvent: tx.auditEvent }, "team.invite_accepted", { ...context, actorId: user.id }, { teamId: invite.team.id, userId: user.id, details: { inviteId: invite.id, email: user.email, role: invite.role } });
    return { team: { id: invite.team.id, slug: invite.team.slug, name: invite.team.name }, role: invite.role };
  });
}
