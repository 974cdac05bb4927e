import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Account deleted" };

export default function AccountDeletedPage() {
  return (
    <div>
      <h1 className="text-xl font-semibold">Your account is deleted</h1>
      <p role="status" className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        Its personal API keys are revoked and every session is signed out. Keys you created for a team stay with the team. You can sign up again
        with the same address at any time.
      </p>
      <p className="mt-6 text-center text-sm">
        <Link href="/" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">Back to the home page</Link>
      </p>
    </div>
  );
}
