"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { AdminError } from "@/lib/admin/errors";
import { setUserDisabled } from "@/lib/admin/manage-users";
import { setKeyRateLimit } from "@/lib/admin/set-key-rate-limit";
import { ApiKeyError } from "@/lib/api-keys/errors";
import { operatorRevokeReasonProblem } from "@/lib/api-keys/key-policy";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { currentAdmin, requestAuditContext } from "@/lib/auth";
import { resetTwoFactor } from "@/lib/two-factor/manage-two-factor";
import { keyIdSchema } from "@/lib/validations/api-keys";
import { fieldErrorsOf, type FieldErrors } from "@/lib/validations/auth";

// Every export is a public endpoint: each one refuses a non-admin on its own, whatever
// the page around it did. A refusal says "not found", as the console's 404 does.

export type AdminActionState = { ok: boolean; message?: string; errors?: FieldErrors };

const NOT_FOUND: AdminActionState = { ok: false, message: "Not found." };

// The console's one rule (lib/auth.ts adminAccess), REQUIRE_2FA_FOR_ADMINS included.
const adminOrNull = currentAdmin;

function failure(error: unknown): AdminActionState {
  if (error instanceof AdminError) return { ok: false, message: error.message, errors: error.fieldErrors };
  if (error instanceof ApiKeyError) return { ok: false, message: error.message };
  throw error;
}

const revokeSchema = z.object({
  keyId: keyIdSchema,
  // The key policy's rule, the same one the CLI applies.
  reason: z.string().superRefine((reason, ctx) => {
    const problem = operatorRevokeReasonProblem(reason);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
});

export async function adminRevokeKey(_previous: AdminActionState, formData: FormData): Promise<AdminActionState> {
  const admin = await adminOrNull();
  if (!admin) return NOT_FOUND;
  const parsed = revokeSchema.safeParse({ keyId: formData.get("keyId"), reason: formData.get("reason") });
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  try {
    const key = await revokeApiKey({ keyId: parsed.data.keyId, reason: parsed.data.reason }, await requestAuditContext(admin.id));
    revalidatePath("/admin", "layout");
    return { ok: true, message: `Revoked “${key.name}”.` };
  } catch (error) {
    return failure(error);
  }
}

const userStatusSchema = z.object({ userId: keyIdSchema, disabled: z.enum(["true", "false"]).transform((value) => value === "true") });

export async function adminSetUserDisabled(_previous: AdminActionState, formData: FormData): Promise<AdminActionState> {
  const admin = await adminOrNull();
  if (!admin) return NOT_FOUND;
  const parsed = userStatusSchema.safeParse({ userId: formData.get("userId"), disabled: formData.get("disabled") });
  if (!parsed.success) return NOT_FOUND;
  try {
    const user = await setUserDisabled(parsed.data, await requestAuditContext(admin.id));
    revalidatePath("/admin", "layout");
    return { ok: true, message: `${user.email} is ${parsed.data.disabled ? "disabled: their keys and sessions stop now" : "enabled again"}.` };
  } catch (error) {
    return failure(error);
  }
}

const rateLimitSchema = z.object({
  keyId: keyIdSchema,
  limit: z
    .string()
    .trim()
    .transform((value) => (value === "" ? null : Number(value))),
});

export async function adminSetKeyRateLimit(_previous: AdminActionState, formData: FormData): Promise<AdminActionState> {
  const admin = await adminOrNull();
  if (!admin) return NOT_FOUND;
  const parsed = rateLimitSchema.safeParse({ keyId: formData.get("keyId"), limit: formData.get("limit") ?? "" });
  if (!parsed.success) return NOT_FOUND;
  try {
    const key = await setKeyRateLimit(parsed.data, await requestAuditContext(admin.id));
    revalidatePath("/admin", "layout");
    return { ok: true, message: key.rateLimitPerMinute ? `“${key.name}” may make ${key.rateLimitPerMinute} requests a minute.` : `“${key.name}” uses the default limit.` };
  } catch (error) {
    return failure(error);
  }
}

const userIdSchema = z.object({ userId: keyIdSchema });

/** Turns off a user's two-factor sign-in (lost authenticator and recovery codes): audited, the user is told and signed out. */
export async function adminResetTwoFactor(_previous: AdminActionState, formData: FormData): Promise<AdminActionState> {
  const admin = await adminOrNull();
  if (!admin) return NOT_FOUND;
  const parsed = userIdSchema.safeParse({ userId: formData.get("userId") });
  if (!parsed.success) return NOT_FOUND;
  try {
    const user = await resetTwoFactor(parsed.data, await requestAuditContext(admin.id));
    revalidatePath("/admin", "layout");
    return { ok: true, message: `${user.email} signs in with a password alone now, and was signed out everywhere.` };
  } catch (error) {
    return failure(error);
  }
}
