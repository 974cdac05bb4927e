"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { requestAuditContext } from "@/lib/auth";
import { clearSessionCookie } from "@/lib/sessions/session-cookie";
import { clearLinkToken, readLinkToken } from "@/lib/users/link-token-cookie";
import { resetPassword } from "@/lib/users/reset-password";
import { fieldErrorsOf, type FieldErrors, newPasswordSchema } from "@/lib/validations/auth";

export type ResetPasswordState = { errors?: FieldErrors; message?: string };

const schema = z.object({ password: newPasswordSchema });

const LINK_USED = "This link has expired or was already used. Ask for a new one.";

/**
 * Sets the new password with the link's token (kept in a cookie by /reset-password/open).
 * The password follows the sign-up rules; a refused one keeps the token for another try.
 * Every session of the account ends, this browser's too, so it signs in afresh.
 */
export async function resetPasswordAction(_previous: ResetPasswordState, formData: FormData): Promise<ResetPasswordState> {
  const parsed = schema.safeParse({ password: formData.get("password") });
  if (!parsed.success) return { errors: fieldErrorsOf(parsed.error) };
  const token = await readLinkToken("/reset-password");
  if (!token) return { message: LINK_USED };
  const { ip, userAgent } = await requestAuditContext(null);
  const ok = await resetPassword(token, parsed.data.password, { ip, userAgent });
  await clearLinkToken("/reset-password");
  if (!ok) return { message: LINK_USED };
  await clearSessionCookie();
  // A page of its own: changing cookies re-renders this page, which has no link left to show.
  redirect("/reset-password/done");
}
