import type { Metadata } from "next";
import Link from "next/link";
import { currentUser } from "@/lib/auth";
import { readLinkToken } from "@/lib/users/link-token-cookie";
import { describeEmailLink } from "@/lib/users/verify-email";
import { SignOutButton } from "../../(dashboard)/_components/sign-out-button";
import { DeadLink } from "../_components/dead-link";
import { VerifyEmailForm } from "./verify-email-form";

export const metadata: Metadata = { title: "Verify your email", referrer: "no-referrer" };

/** Reached only through /verify-email/open, which left the link's token in a cookie. */
export default async function VerifyEmailPage() {
  const token = await readLinkToken("/verify-email");
  const user = await currentUser();
  const link = token ? await describeEmailLink(token, user?.id ?? null) : null;
  if (!link) {
    return (
      <DeadLink
        why="It has expired, was already used, or a newer link replaced it. If you have just signed in, open the link from your mail again; otherwise sign in and send a new one from the banner on your dashboard."
        next={{ href: "/dashboard", label: "Go to the dashboard" }}
      />
    );
  }
  if (!link.forSignedInAccount) return <SignInToConfirm signedInAs={user?.email ?? null} purpose={link.purpose} />;
  return <VerifyEmailForm email={link.email} purpose={link.purpose} />;
}

/**
 * The link works only signed in to the account it was sent for (confirmEmailToken says why).
 * The token stays in its cookie, so after signing in the person comes back here and confirms.
 */
function SignInToConfirm({ signedInAs, purpose }: { signedInAs: string | null; purpose: "verify_email" | "change_email" }) {
  const linkClass = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";
  return (
    <div>
      <h1 className="text-xl font-semibold">{purpose === "change_email" ? "Sign in to confirm your new address" : "Sign in to verify your email"}</h1>
      <div className="mt-2 space-y-3 text-sm text-zinc-600 dark:text-zinc-400">
        <p>
          This link confirms an address for one Keyport account, and works only while you are signed in to that account.
          {purpose === "verify_email" && " If you never signed up, someone else may have used your address: use “Forgot password?” on the sign-in page to take the account over (then revoke any key you did not make), or ignore the mail."}
        </p>
        {signedInAs ? (
          <>
            <p role="alert" className="text-red-600 dark:text-red-400">
              You are signed in as <strong className="break-all">{signedInAs}</strong>, which is not the account this link was sent for. Sign out, sign in to that account, and open the link again.
            </p>
            <div className="flex justify-center">
              <SignOutButton />
            </div>
          </>
        ) : (
          <p className="text-center">
            <Link href="/sign-in?callbackUrl=%2Fverify-email" className={linkClass}>Sign in</Link>
          </p>
        )}
      </div>
    </div>
  );
}
