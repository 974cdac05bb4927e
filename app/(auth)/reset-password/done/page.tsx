import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Password reset" };

/** Where a reset lands: a page of its own, since the form's page has no link left to show. */
export default function PasswordResetDonePage() {
  return (
    <div>
      <h1 className="text-xl font-semibold">Password reset</h1>
      <p role="status" className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        Your password is reset and every session was signed out. Sign in with the new password.
      </p>
      <p className="mt-6 text-center text-sm">
        <Link href="/sign-in" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">Sign in</Link>
      </p>
    </div>
  );
}
