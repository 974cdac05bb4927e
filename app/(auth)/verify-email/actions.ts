"use server";

import { redirect } from "next/navigation";
import { requestAuditContext } from "@/lib/auth";
import { clearLinkToken, readLinkToken } from "@/lib/users/link-token-cookie";
import { confirmEmailToken } from "@/lib/users/verify-email";

export type VerifyEmailState = { message?: string };

const REFUSALS = {
  invalid: "This link has expired or was already used. Sign in and send a new one from the dashboard.",
  email_taken: "That address already belongs to another account, so your email was not changed.",
} as const;

/**
 * The button on /verify-email: uses the link's token (kept in a cookie by /verify-email/open),
 * forgets it, and goes to a page with no token in its address. Needs no session: the link
 * itself is the proof, whichever browser opens it.
 */
export async function confirmEmailAction(_previous: VerifyEmailState, _formData: FormData): Promise<VerifyEmailState> {
  const token = await readLinkToken("/verify-email");
  await clearLinkToken("/verify-email");
  if (!token) return { message: REFUSALS.invalid };
  const { ip, userAgent } = await requestAuditContext(null);
  const outcome = await confirmEmailToken(token, { ip, userAgent });
  if (!outcome.ok) return { message: REFUSALS[outcome.reason] };
  redirect(outcome.purpose === "change_email" ? "/account?email=changed" : "/dashboard");
}
