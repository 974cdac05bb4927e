import type { Metadata } from "next";
import { readLinkToken } from "@/lib/users/link-token-cookie";
import { describeEmailLink } from "@/lib/users/verify-email";
import { DeadLink } from "../_components/dead-link";
import { VerifyEmailForm } from "./verify-email-form";

export const metadata: Metadata = { title: "Verify your email", referrer: "no-referrer" };

/** Reached only through /verify-email/open, which left the link's token in a cookie. */
export default async function VerifyEmailPage() {
  const token = await readLinkToken("/verify-email");
  const link = token ? await describeEmailLink(token) : null;
  if (!link) {
    return (
      <DeadLink
        why="It has expired, was already used, or a newer link replaced it. Sign in and send a new one from the banner on your dashboard."
        next={{ href: "/dashboard", label: "Go to the dashboard" }}
      />
    );
  }
  return <VerifyEmailForm email={link.email} purpose={link.purpose} />;
}
