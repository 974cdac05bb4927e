"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { currentAdmin, requestAuditContext } from "@/lib/auth";
import { TeamError } from "@/lib/teams/errors";
import { suspendTeam, unsuspendTeam } from "@/lib/teams/manage-teams";
import type { AdminActionState } from "../actions";

// Public endpoints: each refuses anyone the console's rule (currentAdmin) does not admit, and
// acts as a *site admin* in lib/teams, which decides what a site admin may do to a team.

const NOT_FOUND: AdminActionState = { ok: false, message: "Not found." };
const teamIdSchema = z.string().trim().min(1).max(100);

function failure(error: unknown): AdminActionState {
  if (error instanceof TeamError) return { ok: false, message: error.message, errors: error.field ? { [error.field]: [error.message] } : undefined };
  throw error;
}

export async function adminSuspendTeam(_previous: AdminActionState, formData: FormData): Promise<AdminActionState> {
  const admin = await currentAdmin();
  if (!admin) return NOT_FOUND;
  const teamId = teamIdSchema.safeParse(formData.get("teamId"));
  if (!teamId.success) return NOT_FOUND;
  try {
    const team = await suspendTeam({ team: { teamId: teamId.data }, actor: { kind: "site_admin", userId: admin.id }, reason: String(formData.get("reason") ?? "") }, await requestAuditContext(admin.id));
    revalidatePath("/admin", "layout");
    return { ok: true, message: `${team.name} is suspended: its keys are refused from the next request.` };
  } catch (error) {
    return failure(error);
  }
}

export async function adminUnsuspendTeam(_previous: AdminActionState, formData: FormData): Promise<AdminActionState> {
  const admin = await currentAdmin();
  if (!admin) return NOT_FOUND;
  const teamId = teamIdSchema.safeParse(formData.get("teamId"));
  if (!teamId.success) return NOT_FOUND;
  try {
    const team = await unsuspendTeam({ team: { teamId: teamId.data }, actor: { kind: "site_admin", userId: admin.id } }, await requestAuditContext(admin.id));
    revalidatePath("/admin", "layout");
    return { ok: true, message: `${team.name} is no longer suspended.` };
  } catch (error) {
    return failure(error);
  }
}
