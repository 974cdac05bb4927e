import { z } from "zod";

/**
 * The team policy: what each role may do in a team, in one place. lib/teams/* asks it
 * before every change, the key policy (lib/api-keys/change-key.ts) asks it for team keys,
 * and the dashboard uses teamPermissions() only to hide what a role cannot do. Nothing
 * else compares roles.
 *
 * - owner: everything, including deleting the team and managing owners; a team always
 *   keeps at least one owner.
 * - admin: members (not owners), invitations, every key of the team.
 * - developer: creates team keys, manages the keys they created, sees every key and its usage.
 * - viewer: sees keys, usage and the audit log; changes nothing.
 */
export const TEAM_ROLES = ["owner", "admin", "developer", "viewer"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export const TEAM_ROLE_LABELS: Record<TeamRole, string> = { owner: "Owner", admin: "Admin", developer: "Developer", viewer: "Viewer" };

export type TeamAction =
  | "team.view"
  | "team.rename"
  | "team.delete"
  | "team.suspend"
  | "members.manage"
  | "owners.manage"
  | "invites.manage"
  | "keys.view"
  | "keys.create"
  | "keys.manage_own"
  | "keys.manage_all"
  | "keys.move_in"
  | "usage.view"
  | "audit.view"
  | "audit.export";

// Each role holds every right of the role below it, and more.
const VIEWER: TeamAction[] = ["team.view", "keys.view", "usage.view", "audit.view"];
const DEVELOPER: TeamAction[] = [...VIEWER, "keys.create", "keys.manage_own"];
const ADMIN: TeamAction[] = [...DEVELOPER, "keys.manage_all", "keys.move_in", "members.manage", "invites.manage", "team.rename", "audit.export"];
const OWNER: TeamAction[] = [...ADMIN, "owners.manage", "team.delete", "team.suspend"];

const RIGHTS: Record<TeamRole, ReadonlySet<TeamAction>> = {
  viewer: new Set(VIEWER),
  developer: new Set(DEVELOPER),
  admin: new Set(ADMIN),
  owner: new Set(OWNER),
};

/** Whether a member with `role` may do `action` in their team. */
export function teamRoleAllows(role: TeamRole, action: TeamAction): boolean {
  return RIGHTS[role].has(action);
}

/**
 * Whether a member may change (rename, update, roll, revoke) one team key: admins and
 * owners every key, developers the keys they created, viewers none.
 */
export function mayManageTeamKey(role: TeamRole, key: { creatorId: string }, userId: string): boolean {
  return teamRoleAllows(role, "keys.manage_all") || (teamRoleAllows(role, "keys.manage_own") && key.creatorId === userId);
}

/**
 * Whether `role` may give or take away `targetRole` (inviting, adding, changing a role,
 * removing): anything involving the owner role needs an owner, any other member an admin.
 */
export function mayAssignRole(role: TeamRole, targetRole: TeamRole): boolean {
  return targetRole === "owner" ? teamRoleAllows(role, "owners.manage") : teamRoleAllows(role, "members.manage");
}

/** Whether a member with `role` (null: none, or a disabled account) may send, or still stand behind, an invitation as `inviteRole`. */
export function maySendInvite(role: TeamRole | null, inviteRole: TeamRole): boolean {
  return role !== null && teamRoleAllows(role, "invites.manage") && mayAssignRole(role, inviteRole);
}

/** What a role may do, for the dashboard to show or hide controls (the lib checks again on every change). */
export function teamPermissions(role: TeamRole) {
  const can = (action: TeamAction) => teamRoleAllows(role, action);
  return {
    viewKeys: can("keys.view"),
    createKeys: can("keys.create"),
    manageOwnKeys: can("keys.manage_own"),
    manageAllKeys: can("keys.manage_all"),
    moveKeysIn: can("keys.move_in"),
    manageMembers: can("members.manage"),
    manageOwners: can("owners.manage"),
    manageInvites: can("invites.manage"),
    viewAudit: can("audit.view"),
    exportAudit: can("audit.export"),
    rename: can("team.rename"),
    suspend: can("team.suspend"),
    delete: can("team.delete"),
  };
}

export type TeamPermissions = ReturnType<typeof teamPermissions>;

/** How long an invitation link works. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The path of an invitation link (the token follows); the dashboard serves it. */
export const INVITE_PATH = "/invite/";

const RESERVED_SLUGS = new Set(["new", "personal", "settings", "admin", "api", "teams", "invite"]);

/** A team's URL name: 3 to 40 lower-case letters, digits and single dashes, not at either end. */
export const teamSlugSchema = z
  .string({ error: "Choose a URL name." })
  .trim()
  .toLowerCase()
  .min(3, "Use at least 3 characters.")
  .max(40, "Use at most 40 characters.")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lower-case letters, digits and single dashes (not at the start or end).")
  .refine((slug) => !RESERVED_SLUGS.has(slug), "That name is reserved; choose another.");

export const teamNameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(80, "Use at most 80 characters.")
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), "Remove control characters.");

export const teamRoleSchema = z.enum(TEAM_ROLES, { error: "Choose a role: owner, admin, developer or viewer." });

export const SUSPEND_REASON_MAX = 500;

/** The reason a team's owners read: at least a few words, at most 500 characters, no control characters. */
export const suspendReasonSchema = z
  .string({ error: "Say why." })
  .transform((reason) => reason.replace(/[\u0000-\u001f\u007f]/g, " ").trim())
  .pipe(z.string().min(3, "Say why, in a few words: the team's owners will see it.").max(SUSPEND_REASON_MAX, `Use at most ${SUSPEND_REASON_MAX} characters.`));
