import type { Metadata } from "next";
import Link from "next/link";
import { Time } from "@/components/format/dates";
import { Badge } from "@/components/ui/badge";
import { adminAccess, requireUser } from "@/lib/auth";
import { env } from "@/lib/env";
import { beginEnrollment, twoFactorStatus } from "@/lib/two-factor/manage-two-factor";
import { EnrollTwoFactor } from "./_components/enroll-two-factor";
import { DisableTwoFactor, RegenerateRecoveryCodes } from "./_components/two-factor-settings";

export const metadata: Metadata = { title: "Two-factor sign-in" };

export default async function TwoFactorPage() {
  const user = await requireUser();
  const status = await twoFactorStatus(user.id);
  const adminMustEnroll = adminAccess(user) === "needs_two_factor";

  return (
    <div className="max-w-2xl space-y-6">
      <div>
        <Link href="/account" className="text-sm text-indigo-600 hover:underline dark:text-indigo-400">
          ← Account
        </Link>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">Two-factor sign-in</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          With two-factor on, signing in asks for a code from an authenticator app (1Password, Google Authenticator, Authy…) after your password or GitHub.
        </p>
      </div>
      {adminMustEnroll && (
        <p role="status" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          This portal requires administrators to use two-factor sign-in. Turn it on to open the admin console.
        </p>
      )}
      {status.enabled ? (
        <div className="space-y-6">
          <p className="text-sm">
            <Badge tone="green">On</Badge> <span className="ml-2 text-zinc-600 dark:text-zinc-400">since <Time date={status.enabledAt} /></span>
          </p>
          <section className="space-y-2 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
            <h2 className="font-medium">Recovery codes</h2>
            <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="recovery-codes-left">
              {status.recoveryCodesLeft} of 10 unused. Each one signs you in once if you lose your authenticator.
            </p>
            <RegenerateRecoveryCodes />
          </section>
          <section className="space-y-2 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
            <h2 className="font-medium">Turn off two-factor sign-in</h2>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Your account will sign in with a password alone. You will get a mail about it.</p>
            {env.REQUIRE_2FA_FOR_ADMINS && user.role === "ADMIN" && (
              <p className="text-sm text-amber-700 dark:text-amber-300">Without it, the admin console stays closed to you.</p>
            )}
            <DisableTwoFactor />
          </section>
        </div>
      ) : (
        <EnrollTwoFactor {...await beginEnrollment(user)} hasPassword={status.hasPassword} />
      )}
    </div>
  );
}
