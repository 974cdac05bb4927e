import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found" };

/**
 * Every 404: an unknown address, another user's key, the admin console for a non-admin (which
 * must look exactly like an unknown address). So it says nothing about why.
 */
export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center px-6 text-center">
      <Link href="/" className="flex items-center gap-2 text-lg font-semibold tracking-tight">
        {/* eslint-disable-next-line @next/next/no-img-element -- a small SVG needs no optimizing */}
        <img src="/logo.svg" alt="" width={32} height={32} className="size-8" />
        Keyport
      </Link>
      <p className="mt-10 font-mono text-sm text-indigo-600 dark:text-indigo-400">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
        There is nothing at this address, or it is not yours to see. Check the link, or start again from your keys.
      </p>
      <div className="mt-8 flex flex-wrap justify-center gap-3">
        <Link href="/dashboard" className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">
          Go to your keys
        </Link>
        <Link href="/" className="rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
          Home
        </Link>
      </div>
    </main>
  );
}
