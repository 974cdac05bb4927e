"use server";

import { redirect } from "next/navigation";
import { currentUser, requestAuditContext } from "@/lib/auth";
import { TeamError } from "@/lib/teams/errors";
import { acceptInvite } from "@/lib/teams/invitations";
import { clearLinkToken, readLinkToken } from "@/lib/users/link-token-cookie";

export type AcceptInviteState = { ok: boolean; message?: string; code?: string };

/**
 * Accepts the invitation whose token the link left in this browser's cookie, as the signed-in
 * user. lib/teams decides (the verified email must be the invited one; single use). A used,
 * revoked or expired link forgets the cookie; a wrong account or an unverified email keeps it,
 * so the person can sign in as the right account or verify, and come back to /invite.
 */
export async function acceptInviteAction(): Promise<AcceptInviteState> {
  const user = await currentUser();
  if (!user) return { ok: false, code: "signed_out", message: "Sign in first, with the invited email address." };
  const token = await readLinkToken("/invite");
  if (!token) return { ok: false, code: "not_found", message: "This invitation link does not work any more. Open the link from the mail again." };
  let slug: string;
  try {
    const { team } = await acceptInvite({ token, userId: user.id }, await requestAuditContext(user.id));
    slug = team.slug;
  } catch (error) {
    if (!(error instanceof TeamError)) throw error;
    if (error.code !== "invite_wrong_email" && error.code !== "invite_unverified") await clearLinkToken("/invite");
    return { ok: false, code: error.code, message: error.message };
  }
  await clearLinkToken("/invite");
  redirect(`/dashboard/teams/${slug}/keys`);
}
