"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { AuditContext } from "@/lib/audit";
import { currentUser, requestAuditContext, type SessionUser } from "@/lib/auth";
import { TeamError } from "@/lib/teams/errors";
import { inviteTeamMember, revokeInvite } from "@/lib/teams/invitations";
import { createTeam, deleteTeam, renameTeam, suspendTeam, unsuspendTeam } from "@/lib/teams/manage-teams";
import { changeMemberRole, leaveTeam, removeTeamMember } from "@/lib/teams/members";
import { asMember, type TeamActor } from "@/lib/teams/team-access";
import { type TeamRole, teamRoleSchema } from "@/lib/teams/team-policy";
import type { FieldErrors } from "@/lib/validations/auth";

// Every export here is a public endpoint. Each one reads the caller from the session cookie
// and hands lib/teams the team's slug and the caller as a *member*: lib loads their current
// role from the database and refuses what it does not allow (404 for a non-member). Nothing
// here decides who may do what; the pages only choose which buttons to show.

export type TeamActionState = {
  ok: boolean;
  errors?: FieldErrors;
  message?: string;
  /** The invitation link, in the one response that creates it. */
  inviteUrl?: string;
};

const SIGNED_OUT: TeamActionState = { ok: false, message: "Your session has ended. Sign in again." };
const NOT_FOUND: TeamActionState = { ok: false, message: "Not found: you may no longer be a member of this team." };

/** A TeamError as the form shows it: next to its field when it has one. Anything else is a fault. */
function failure(error: unknown): TeamActionState {
  if (error instanceof TeamError) {
    const message = error.code === "not_found" ? NOT_FOUND.message! : error.message;
    return { ok: false, message, errors: error.field ? { [error.field]: [message] } : undefined };
  }
  throw error;
}

// The identifiers a form posts; what they name is judged by lib (an unknown slug is "not found").
const identifier = z.string().trim().min(1).max(100);

interface TeamCall {
  user: SessionUser;
  slug: string;
  team: { slug: string };
  actor: TeamActor;
  context: AuditContext;
  /** Another posted identifier (a member's user id, an invitation's id), checked for shape. */
  id: string;
}

/**
 * The one shape of a team action: the session's user (or "signed out"), the team's slug from
 * the form, an optional second identifier, then `run` with the caller as a member; a TeamError
 * becomes the form's answer. Afterwards the team's pages (or, with `everywhere`, the whole
 * dashboard: the switcher lists teams) are refreshed.
 */
async function teamAction(formData: FormData, idField: string | null, run: (call: TeamCall) => Promise<TeamActionState>, everywhere = false): Promise<TeamActionState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const slug = identifier.safeParse(formData.get("team"));
  const id = idField ? identifier.safeParse(formData.get(idField)) : { success: true as const, data: "" };
  if (!slug.success || !id.success) return NOT_FOUND;
  let result: TeamActionState;
  try {
    result = await run({ user, slug: slug.data, team: { slug: slug.data }, actor: asMember(user.id), context: await requestAuditContext(user.id), id: id.data });
  } catch (error) {
    return failure(error);
  }
  revalidatePath(everywhere ? "/dashboard" : `/dashboard/teams/${slug.data}`, "layout");
  return result;
}

/** A posted role, or the answer that shows next to the role field. */
function roleOf(formData: FormData): { role: TeamRole } | { refusal: TeamActionState } {
  const role = teamRoleSchema.safeParse(formData.get("role"));
  return role.success ? { role: role.data } : { refusal: { ok: false, errors: { role: [role.error.issues[0]?.message ?? "Choose a role."] } } };
}

export async function createTeamAction(_previous: TeamActionState, formData: FormData): Promise<TeamActionState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  let slug: string;
  try {
    // lib validates the name and slug (teamNameSchema, teamSlugSchema) and answers per field.
    const team = await createTeam({ name: String(formData.get("name") ?? ""), slug: String(formData.get("slug") ?? ""), ownerId: user.id }, await requestAuditContext(user.id));
    slug = team.slug;
  } catch (error) {
    return failure(error);
  }
  revalidatePath("/dashboard", "layout");
  redirect(`/dashboard/teams/${slug}/keys`);
}

export async function renameTeamAction(_previous: TeamActionState, formData: FormData): Promise<TeamActionState> {
  return teamAction(
    formData,
    null,
    async ({ team, actor, context }) => {
      const renamed = await renameTeam({ team, actor, name: String(formData.get("name") ?? "") }, context);
      return { ok: true, message: `The team is now called “${renamed.name}”.` };
    },
    true,
  );
}

export async function inviteMemberAction(_previous: TeamActionState, formData: FormData): Promise<TeamActionState> {
  const posted = roleOf(formData);
  if ("refusal" in posted) return posted.refusal;
  return teamAction(formData, null, async ({ team, actor, context }) => {
    const { url, invite, mailed } = await inviteTeamMember({ team, actor, email: String(formData.get("email") ?? ""), role: posted.role }, context);
    const message = mailed
      ? `Invitation sent to ${invite.email}.`
      : `Invitation made for ${invite.email}, but not mailed: that address has had several invitations this hour. Pass the link below on yourself.`;
    return { ok: true, inviteUrl: url, message };
  });
}

export async function revokeInviteAction(_previous: TeamActionState, formData: FormData): Promise<TeamActionState> {
  return teamAction(formData, "inviteId", async ({ team, actor, context, id }) => {
    await revokeInvite({ team, actor, inviteId: id }, context);
    return { ok: true, message: "Invitation withdrawn: its link no longer works." };
  });
}

export async function changeMemberRoleAction(_previous: TeamActionState, formData: FormData): Promise<TeamActionState> {
  const posted = roleOf(formData);
  if ("refusal" in posted) return posted.refusal;
  return teamAction(formData, "userId", async ({ team, actor, context, id }) => {
    const changed = await changeMemberRole({ team, actor, userId: id, role: posted.role }, context);
    return { ok: true, message: `Role changed to ${changed.role}.` };
  });
}

export async function removeMemberAction(_previous: TeamActionState, formData: FormData): Promise<TeamActionState> {
  return teamAction(formData, "userId", async ({ team, actor, context, id }) => {
    await removeTeamMember({ team, actor, userId: id }, context);
    return { ok: true, message: "Member removed. The keys they created stay the team's and keep working." };
  });
}

export async function leaveTeamAction(_previous: TeamActionState, formData: FormData): Promise<TeamActionState> {
  const result = await teamAction(
    formData,
    null,
    async ({ team, user, context }) => {
      await leaveTeam({ team, userId: user.id }, context);
      return { ok: true };
    },
    true,
  );
  if (result.ok) redirect("/dashboard");
  return result;
}

export async function deleteTeamAction(_previous: TeamActionState, formData: FormData): Promise<TeamActionState> {
  const result = await teamAction(
    formData,
    null,
    async ({ team, slug, actor, context }) => {
      // A typed confirmation against a slip of the mouse: it proves intent, not the right (lib checks that).
      if (String(formData.get("confirm") ?? "").trim().toLowerCase() !== slug.toLowerCase()) {
        return { ok: false, errors: { confirm: [`Type the team's URL name, ${slug}, to confirm.`] } };
      }
      await deleteTeam({ team, actor }, context);
      return { ok: true };
    },
    true,
  );
  if (result.ok) redirect("/dashboard");
  return result;
}

export async function suspendTeamAction(_previous: TeamActionState, formData: FormData): Promise<TeamActionState> {
  return teamAction(formData, null, async ({ team, actor, context }) => {
    await suspendTeam({ team, actor, reason: String(formData.get("reason") ?? "") }, context);
    return { ok: true, message: "The team is suspended: every one of its keys is refused from the next request." };
  });
}

export async function unsuspendTeamAction(_previous: TeamActionState, formData: FormData): Promise<TeamActionState> {
  return teamAction(formData, null, async ({ team, actor, context }) => {
    await unsuspendTeam({ team, actor }, context);
    return { ok: true, message: "The suspension is lifted: the team's keys that were not revoked work again." };
  });
}
