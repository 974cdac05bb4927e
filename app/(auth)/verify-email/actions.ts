"use server";

import { redirect } from "next/navigation";
import { currentUser, requestAuditContext } from "@/lib/auth";
import { clearLinkToken, readLinkToken } from "@/lib/users/link-token-cookie";
import { confirmEmailToken } from "@/lib/users/verify-email";

export type VerifyEmailState = { message?: string };

const REFUSALS = {
  invalid: "This link has expired or was already used. Sign in and send a new one from the dashboard.",
  email_taken: "That address already belongs to another account, so your email was not changed.",
  sign_in_needed: "Sign in to the account this link was sent for, then open it again.",
} as const;

/**
 * The button on /verify-email: uses the link's token (kept in a cookie by /verify-email/open),
 * forgets it, and goes to a page with no token in its address. Works only signed in to the
 * account the link was sent for (confirmEmailToken says why); the token is kept for that.
 */
export async function confirmEmailAction(_previous: VerifyEmailState, _formData: FormData): Promise<VerifyEmailState> {
  const token = await readLinkToken("/verify-email");
  if (!token) return { message: REFUSALS.invalid };
  const user = await currentUser();
  const { ip, userAgent } = await requestAuditContext(null);
  const outcome = await confirmEmailToken(token, user?.id ?? null, { ip, userAgent });
  if (!outcome.ok && outcome.reason === "sign_in_needed") return { message: REFUSALS.sign_in_needed };
  await clearLinkToken("/verify-email");
  if (!outcome.ok) return { message: REFUSALS[outcome.reason] };
  redirect(outcome.purpose === "change_email" ? "/account?email=changed" : "/dashboard");
}
