import { headers } from "next/headers";
import Link from "next/link";
import { env } from "@/lib/env";
import { publicOrigin } from "@/lib/public-origin";

const features = [
  {
    title: "Self-serve keys",
    body: "Developers create, roll and revoke their own keys. The secret is shown exactly once; Keyport keeps only its SHA-256.",
  },
  {
    title: "Verification that costs nothing",
    body: "A checksum refuses typos before any lookup, and a short cache answers hot keys without touching the database.",
  },
  {
    title: "Revocation that sticks",
    body: "A revoked or expired key is refused on its next request. Admins revoke with a reason, and every event is audited.",
  },
];

export default async function LandingPage() {
  // The example names this portal as its visitors reach it (NEXTAUTH_URL, else their Host).
  const origin = publicOrigin(await headers());
  return (
    <main className="mx-auto flex min-h-dvh max-w-5xl flex-col px-6 py-10">
      <header className="flex items-center justify-between">
        <span className="flex items-center gap-2 text-lg font-semibold tracking-tight">
          <span aria-hidden className="grid size-8 place-items-center rounded-lg bg-indigo-600 font-mono text-sm text-white">
            kp
          </span>
          Keyport
        </span>
        <nav className="flex items-center gap-4 text-sm">
          <Link href="/docs" className="text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white">
            API docs
          </Link>
          <Link href="/sign-in" className="text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white">
            Sign in
          </Link>
          <Link href="/sign-up" className="rounded-md bg-zinc-900 px-3 py-1.5 font-medium text-white hover:bg-zinc-700 dark:bg-white dark:text-zinc-900 dark:hover:bg-zinc-200">
            Get started
          </Link>
        </nav>
      </header>

      <section className="py-20 sm:py-28">
        <p className="font-mono text-sm text-indigo-600 dark:text-indigo-400">{env.KEY_PREFIX}_live_…</p>
        <h1 className="mt-3 max-w-3xl text-4xl font-semibold tracking-tight text-balance sm:text-5xl">
          API keys for your platform, issued and revoked by the people who use them.
        </h1>
        <p className="mt-6 max-w-2xl text-lg text-zinc-600 dark:text-zinc-400">
          Keyport is a self-hosted developer portal. Developers sign in and manage their own keys; your services
          check them with one call; admins can revoke any key and prove afterwards what happened.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Link href="/sign-up" className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500">
            Create an account
          </Link>
          <Link href="/docs" className="rounded-md border border-zinc-300 px-4 py-2 font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-900">
            Read the API docs
          </Link>
          <a href="/api/health" className="rounded-md border border-zinc-300 px-4 py-2 font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-900">
            Service health
          </a>
        </div>
      </section>

      <section className="grid gap-6 sm:grid-cols-3">
        {features.map((feature) => (
          <div key={feature.title} className="rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
            <h2 className="font-medium">{feature.title}</h2>
            <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{feature.body}</p>
          </div>
        ))}
      </section>

      <section className="mt-12 overflow-x-auto rounded-xl bg-zinc-900 p-5 font-mono text-sm text-zinc-100 dark:bg-black">
        <p className="text-zinc-400"># every request carries its key</p>
        <p>
          curl -H &quot;Authorization: Bearer $KEYPORT_KEY&quot; {origin}/api/v1/me
        </p>
      </section>
    </main>
  );
}
