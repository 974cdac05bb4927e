import type { Metadata } from "next";
import { readLinkToken } from "@/lib/users/link-token-cookie";
import { resetTokenEmail } from "@/lib/users/reset-password";
import { DeadLink } from "../_components/dead-link";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

/** Reached only through /reset-password/open, which left the link's token in a cookie. */
export default async function ResetPasswordPage() {
  const token = await readLinkToken("/reset-password");
  const email = token ? await resetTokenEmail(token) : null;
  if (!email) {
    return (
      <DeadLink
        why="It has expired (a reset link works for 30 minutes), was already used, or a newer link replaced it."
        next={{ href: "/forgot-password", label: "Ask for a new link" }}
      />
    );
  }
  return <ResetPasswordForm email={email} />;
}
