"use server";

import { revalidatePath } from "next/cache";
import { currentUser, requestAuditContext } from "@/lib/auth";
import { confirmEnrollment, disableTwoFactor, regenerateRecoveryCodes, type TwoFactorChange } from "@/lib/two-factor/manage-two-factor";
import { secondFactorCodeSchema, twoFactorProofSchema } from "@/lib/validations/two-factor";

// Every export is a public endpoint: each reads the caller's own session and changes only
// that user's second factor; nothing here takes a user id from the form.

export type TwoFactorFormState = { ok: boolean; message?: string; errors?: { code?: string[]; proof?: string[]; password?: string[] }; recoveryCodes?: string[] };

const SESSION_ENDED: TwoFactorFormState = { ok: false, message: "Your session has ended. Sign in again." };

const MESSAGES: Record<Exclude<TwoFactorChange, { ok: true }>["code"], string> = {
  expired: "This setup page has expired. Reload it to get a new code.",
  wrong_code: "That code is not right. Enter the code your app shows now.",
  wrong_password: "That is not your current password.",
  already_enabled: "Two-factor sign-in is already on.",
  not_enabled: "Two-factor sign-in is off.",
  wrong_proof: "That is not your password or a current code.",
  throttled: "Too many failed attempts. Wait a few minutes, then try again.",
};

function answer(result: TwoFactorChange, field: "code" | "proof"): TwoFactorFormState {
  if (result.ok) return { ok: true, recoveryCodes: result.recoveryCodes };
  const message = MESSAGES[result.code];
  if (result.code === "wrong_password") return { ok: false, errors: { password: [message] } };
  return result.code === "wrong_code" || result.code === "wrong_proof" ? { ok: false, errors: { [field]: [message] } } : { ok: false, message };
}

/** Turns two-factor on with the first code from the app and the password (this browser stays signed in, every other one is signed out); answers the ten recovery codes, once. */
export async function confirmEnrollmentAction(_previous: TwoFactorFormState, formData: FormData): Promise<TwoFactorFormState> {
  const user = await currentUser();
  if (!user) return SESSION_ENDED;
  const code = secondFactorCodeSchema.safeParse(formData.get("code"));
  if (!code.success) return { ok: false, errors: { code: code.error.issues.map((issue) => issue.message) } };
  const enrollmentToken = formData.get("enrollmentToken");
  const password = formData.get("password");
  const result = await confirmEnrollment(
    user.id,
    { enrollmentToken: typeof enrollmentToken === "string" ? enrollmentToken : "", code: code.data, password: typeof password === "string" ? password : "", sessionId: user.sessionId },
    await requestAuditContext(user.id),
  );
  return answer(result, "code");
}

/** Replaces the recovery codes (password or a code first); answers the new ones, once. */
export async function regenerateRecoveryCodesAction(_previous: TwoFactorFormState, formData: FormData): Promise<TwoFactorFormState> {
  const user = await currentUser();
  if (!user) return SESSION_ENDED;
  const proof = twoFactorProofSchema.safeParse(formData.get("proof"));
  if (!proof.success) return { ok: false, errors: { proof: proof.error.issues.map((issue) => issue.message) } };
  return answer(await regenerateRecoveryCodes(user.id, proof.data, await requestAuditContext(user.id)), "proof");
}

/** Turns two-factor off (password or a code first); the user gets a security notice. */
export async function disableTwoFactorAction(_previous: TwoFactorFormState, formData: FormData): Promise<TwoFactorFormState> {
  const user = await currentUser();
  if (!user) return SESSION_ENDED;
  const proof = twoFactorProofSchema.safeParse(formData.get("proof"));
  if (!proof.success) return { ok: false, errors: { proof: proof.error.issues.map((issue) => issue.message) } };
  const result = answer(await disableTwoFactor(user.id, proof.data, await requestAuditContext(user.id)), "proof");
  if (result.ok) revalidatePath("/account/two-factor");
  return result.ok ? { ok: true, message: "Two-factor sign-in is off." } : result;
}
