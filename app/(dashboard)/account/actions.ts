"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { currentUser, requestAuditContext } from "@/lib/auth";
import { clearSessionCookie } from "@/lib/sessions/session-cookie";
import { updateName, updateNotificationPreferences } from "@/lib/users/account-settings";
import { EMAIL_CHANGE_SENT_MESSAGE, requestEmailChange } from "@/lib/users/change-email";
import { deleteAccount } from "@/lib/users/delete-account";
import { changePassword } from "@/lib/users/reset-password";
import { resendVerificationMail } from "@/lib/users/verify-email";
import { emailSchema, fieldErrorsOf, type FieldErrors, newPasswordSchema, personNameSchema } from "@/lib/validations/auth";

// Every export here is a public endpoint: each one reads the caller from the session cookie
// and changes only that user's account, whatever the form posted.

export type AccountFormState = { ok: boolean; errors?: FieldErrors; message?: string };

const SIGNED_OUT: AccountFormState = { ok: false, message: "Your session has ended. Sign in again." };
const WRONG_PASSWORD = "That is not your current password.";
const THROTTLED = "Too many tries. Wait a few minutes, then try again.";
const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : undefined);
const minutes = (seconds = 60) => Math.max(1, Math.ceil(seconds / 60));

export async function updateNameAction(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const parsed = z.object({ name: personNameSchema }).safeParse({ name: text(formData.get("name")) ?? "" });
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  await updateName(user.id, parsed.data.name);
  revalidatePath("/account");
  return { ok: true, message: parsed.data.name ? "Name saved." : "Name removed." };
}

export async function changeEmailAction(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const parsed = z.object({ email: emailSchema, password: z.string().max(200).optional() }).safeParse({
    email: formData.get("email"),
    password: text(formData.get("password")),
  });
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  const outcome = await requestEmailChange({ userId: user.id, newEmail: parsed.data.email, password: parsed.data.password }, await requestAuditContext(user.id));
  if (!outcome.ok) {
    const message =
      outcome.reason === "same_email" ? "That is already your email address."
      : outcome.reason === "wrong_password" ? WRONG_PASSWORD
      : `Too many changes. Try again in ${minutes(outcome.retryAfterSeconds)} minutes.`;
    return { ok: false, errors: { [outcome.field]: [message] } };
  }
  revalidatePath("/account");
  return { ok: true, message: EMAIL_CHANGE_SENT_MESSAGE };
}

export async function changePasswordAction(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const parsed = z
    .object({ currentPassword: z.string().min(1, "Enter your current password.").max(200), newPassword: newPasswordSchema })
    .safeParse({ currentPassword: formData.get("currentPassword"), newPassword: formData.get("newPassword") });
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  const outcome = await changePassword({ userId: user.id, sessionId: user.sessionId, ...parsed.data }, await requestAuditContext(user.id));
  if (!outcome.ok) {
    if (outcome.reason === "no_password") return { ok: false, message: "This account has no password: use “Forgot password?” on the sign-in page to set one." };
    return { ok: false, errors: { currentPassword: [outcome.reason === "throttled" ? THROTTLED : WRONG_PASSWORD] } };
  }
  const others = outcome.sessionsEnded;
  return { ok: true, message: `Password changed.${others ? ` ${others === 1 ? "One other session was" : `${others} other sessions were`} signed out.` : ""}` };
}

export async function updateNotificationsAction(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const parsed = z
    .object({ notifyKeyExpiry: z.boolean(), notifyKeyRevoked: z.boolean() })
    .safeParse({ notifyKeyExpiry: formData.get("notifyKeyExpiry") === "on", notifyKeyRevoked: formData.get("notifyKeyRevoked") === "on" });
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  await updateNotificationPreferences(user.id, parsed.data);
  revalidatePath("/account");
  return { ok: true, message: "Notification settings saved." };
}

export async function resendVerificationAction(_previous: AccountFormState, _formData: FormData): Promise<AccountFormState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const outcome = await resendVerificationMail(user.id);
  if (outcome.ok) return { ok: true, message: `We sent a new link to ${user.email}. Earlier links no longer work.` };
  if (outcome.reason === "already_verified") return { ok: true, message: "Your email address is already verified." };
  return { ok: false, message: `You asked for several links already. Try again in ${minutes(outcome.retryAfterSeconds)} minutes.` };
}

export async function deleteAccountAction(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const parsed = z
    .object({ password: z.string().max(200).optional(), confirmEmail: z.string().max(320).optional() })
    .safeParse({ password: text(formData.get("password")), confirmEmail: text(formData.get("confirmEmail")) });
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  const outcome = await deleteAccount({ userId: user.id, ...parsed.data }, await requestAuditContext(user.id));
  if (!outcome.ok) {
    if (outcome.reason === "sole_owner") {
      const names = outcome.teams.map((team) => team.name).join(", ");
      return { ok: false, message: `You are the only owner of ${names}. Make another member an owner, or delete the team, before you delete your account.` };
    }
    const message = outcome.reason === "email_mismatch" ? "Type your account's email address exactly." : outcome.reason === "throttled" ? THROTTLED : WRONG_PASSWORD;
    return { ok: false, errors: { [outcome.field]: [message] } };
  }
  await clearSessionCookie();
  redirect("/account-deleted");
}
