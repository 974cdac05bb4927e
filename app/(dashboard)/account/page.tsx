import type { Metadata } from "next";
import Link from "next/link";
import { Time } from "@/components/format/dates";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { requireUser } from "@/lib/auth";
import { loadAccount, pendingEmailChange } from "@/lib/users/account-settings";
import { ChangeEmailForm, ChangePasswordForm, DeleteAccountForm, NameForm, NotificationsForm, ResendVerificationForm } from "./_components/account-forms";

export const metadata: Metadata = { title: "Account" };

function Section({ id, title, description, children }: { id: string; title: string; description?: React.ReactNode; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-xl border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id={id} className="text-lg font-semibold">{title}</h2>
      {description && <div className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</div>}
      <div className="mt-4 max-w-md">{children}</div>
    </section>
  );
}

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ email?: string }> }) {
  const user = await requireUser();
  const [account, pending, { email: emailEvent }] = await Promise.all([loadAccount(user.id), pendingEmailChange(user.id), searchParams]);
  if (!account) return null;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Your profile, sign-in and notifications.</p>
      </div>

      <Section id="profile" title="Profile">
        <NameForm name={account.name} />
      </Section>

      <Section
        id="email"
        title="Email address"
        description={
          <p className="flex flex-wrap items-center gap-2">
            <span className="break-all font-medium text-zinc-900 dark:text-zinc-100" data-testid="account-email">{account.email}</span>
            {account.emailVerifiedAt ? <Badge tone="green">Verified</Badge> : <Badge tone="amber">Not verified</Badge>}
          </p>
        }
      >
        <div className="space-y-4">
          {emailEvent === "changed" && (
            <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">Your email address is changed. The old address was told.</p>
          )}
          {!account.emailVerifiedAt && <ResendVerificationForm label="Send a new verification link" />}
          {pending && (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              A change to <strong className="break-all">{pending.email}</strong> waits for its link (until <Time date={pending.expiresAt} />).
            </p>
          )}
          <ChangeEmailForm hasPassword={account.hasPassword} />
        </div>
      </Section>

      <Section
        id="password"
        title="Password"
        description={account.hasPassword ? "Changing it signs out every other session." : "You sign in with GitHub. To add a password, use “Forgot password?” on the sign-in page."}
      >
        {account.hasPassword && <ChangePasswordForm />}
      </Section>

      <Section id="sessions" title="Sessions" description="The browsers signed in to your account.">
        <Link href="/dashboard/sessions" className={buttonClasses("secondary")}>Manage sessions</Link>
      </Section>

      <Section
        id="two-factor"
        title="Two-factor sign-in"
        description={
          <p className="flex flex-wrap items-center gap-2">
            {account.totpEnabledAt ? <Badge tone="green">On</Badge> : <Badge tone="zinc">Off</Badge>}
            <span>{account.totpEnabledAt ? "A code from your authenticator app is asked after your password." : "Ask for a code from an authenticator app after your password."}</span>
          </p>
        }
      >
        <Link href="/account/two-factor" className={buttonClasses("secondary")}>{account.totpEnabledAt ? "Manage two-factor sign-in" : "Set up two-factor sign-in"}</Link>
      </Section>

      <Section id="notifications" title="Notifications" description="Mail and dashboard notices about your keys.">
        <NotificationsForm notifyKeyExpiry={account.notifyKeyExpiry} notifyKeyRevoked={account.notifyKeyRevoked} />
      </Section>

      <Section id="delete" title="Delete account">
        <DeleteAccountForm hasPassword={account.hasPassword} email={account.email} />
      </Section>
    </div>
  );
}
