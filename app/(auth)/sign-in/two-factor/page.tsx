import type { Metadata } from "next";
import Link from "next/link";
import { readChallengeCookie } from "@/lib/two-factor/challenge-cookie";
import { readSignInChallenge } from "@/lib/two-factor/sign-in-challenge";
import { safeCallbackUrl } from "../../_components/safe-callback";
import { TwoFactorForm } from "./two-factor-form";

export const metadata: Metadata = { title: "Two-factor sign-in" };

/** The second sign-in step: reached only with the challenge cookie the first step set. */
export default async function TwoFactorSignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  const challenge = await readSignInChallenge(await readChallengeCookie());
  if (!challenge) {
    return (
      <div>
        <h1 className="text-xl font-semibold">Sign in again</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">This sign-in has expired or was already used. Codes are asked for within five minutes of the password.</p>
        <Link href="/sign-in" className="mt-6 inline-block font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Back to sign-in
        </Link>
      </div>
    );
  }
  return <TwoFactorForm callbackUrl={safeCallbackUrl(callbackUrl)} />;
}
