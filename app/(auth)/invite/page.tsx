import type { Metadata } from "next";
import Link from "next/link";
import { currentUser } from "@/lib/auth";
import { previewInvite } from "@/lib/teams/invitations";
import { TEAM_ROLE_LABELS } from "@/lib/teams/team-policy";
import { readLinkToken } from "@/lib/users/link-token-cookie";
import { SignOutButton } from "../../(dashboard)/_components/sign-out-button";
import { AcceptInviteForm } from "./accept-invite-form";

// No Referer leaves this page (the token is not in its URL, but the invited address is on it).
export const metadata: Metadata = { title: "Team invitation", referrer: "no-referrer" };

const linkClass = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";

function Notice({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div>
      <h1 className="text-xl font-semibold">{title}</h1>
      <div className="mt-2 space-y-3 text-sm text-zinc-600 dark:text-zinc-400">{children}</div>
    </div>
  );
}

/** Reached through /invite/<token>, which left the token in a cookie scoped to this page. */
export default async function InvitePage() {
  const token = await readLinkToken("/invite");
  const user = await currentUser();
  // lib/teams says whether this account may accept (the rule acceptInvite applies), so the
  // page can tell a wrong account or an unverified address before any click.
  const invite = token ? await previewInvite(token, new Date(), user?.id ?? null) : null;
  if (!invite || invite.state !== "pending") {
    const why = !invite
      ? "The link is not valid, or it was already used."
      : invite.state === "accepted"
        ? "It has already been used."
        : invite.state === "revoked"
          ? "It was withdrawn, or a newer invitation replaced it."
          : invite.state === "team_suspended"
            ? `${invite.teamName} is suspended: it takes no new members until the suspension is lifted.`
            : "It has expired (invitations work for 7 days).";
    return (
      <Notice title="This invitation does not work">
        <p>
          {why}
          {invite?.state === "team_suspended" ? "" : " Ask a team admin for a new one."}
        </p>
        <p className="text-center">
          <Link href="/dashboard" className={linkClass}>Go to the dashboard</Link>
        </p>
      </Notice>
    );
  }
  const role = TEAM_ROLE_LABELS[invite.role].toLowerCase();
  const intro = (
    <p>
      You are invited to join <strong className="text-zinc-950 dark:text-white">{invite.teamName}</strong> as {role === "admin" || role === "owner" ? "an" : "a"} {role}, as{" "}
      <strong className="break-all text-zinc-950 dark:text-white">{invite.email}</strong>.
    </p>
  );
  if (!user || invite.standing === "signed_out") {
    return (
      <Notice title="Join a team">
        {intro}
        <p>Sign in with that email address (or create an account with it, and verify it), then come back to this page to accept.</p>
        <p className="flex justify-center gap-4">
          <Link href="/sign-in?callbackUrl=%2Finvite" className={linkClass}>Sign in</Link>
          <Link href="/sign-up?callbackUrl=%2Finvite" className={linkClass}>Create an account</Link>
        </p>
      </Notice>
    );
  }
  if (invite.standing === "wrong_email") {
    return (
      <Notice title="Wrong account">
        {intro}
        <p role="alert" className="text-red-600 dark:text-red-400">
          You are signed in as <strong className="break-all">{user.email}</strong>. Sign out, sign in as {invite.email}, and open the invitation again.
        </p>
        <div className="flex justify-center">
          <SignOutButton />
        </div>
      </Notice>
    );
  }
  if (invite.standing === "unverified") {
    return (
      <Notice title="Verify your email first">
        {intro}
        <p role="alert" className="text-red-600 dark:text-red-400">
          {user.email} is not verified yet. Open the verification link we mailed you (or send a new one from the dashboard&apos;s banner), then come back to this page.
        </p>
        <p className="text-center">
          <Link href="/dashboard" className={linkClass}>Go to the dashboard</Link>
        </p>
      </Notice>
    );
  }
  return (
    <Notice title="Join a team">
      {intro}
      <AcceptInviteForm teamName={invite.teamName} />
    </Notice>
  );
}
