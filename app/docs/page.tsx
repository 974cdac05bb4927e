import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { listKeysForOwner } from "@/lib/api-keys/list-api-keys";
import { keyStatus } from "@/lib/api-keys/key-status";
import { currentUser } from "@/lib/auth";
import { env } from "@/lib/env";
import { publicOrigin } from "@/lib/public-origin";
import { ApiReference } from "./_components/api-reference";
import { CodeBlock, CodeTabs } from "./_components/code-block";
import { snippetsFor } from "./_components/snippets";

export const metadata: Metadata = { title: "API docs" };

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-xl font-semibold tracking-tight">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default async function DocsPage() {
  // Examples name the portal as clients reach it: NEXTAUTH_URL, else the Host of this request.
  const [user, origin] = await Promise.all([currentUser(), headers().then(publicOrigin)]);
  // A signed-in developer sees their own key's start in the examples, so they know which to use.
  const ownKey = user ? (await listKeysForOwner(user.id)).find((key) => ["active", "expiring_soon"].includes(keyStatus(key))) : undefined;
  const key = ownKey ? `${ownKey.start}…` : `${env.KEY_PREFIX}_test_…`;
  const prefix = env.KEY_PREFIX;

  return (
    <div className="min-h-dvh">
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950">
        <div className="mx-auto flex h-14 max-w-5xl items-center gap-6 px-4 sm:px-6">
          <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
            <span aria-hidden className="grid size-7 place-items-center rounded-md bg-indigo-600 font-mono text-xs text-white">kp</span>
            Keyport API
          </Link>
          <nav aria-label="Docs" className="ml-auto flex gap-4 text-sm">
            <a href="#quickstart" className="hover:underline">Quickstart</a>
            <a href="#reference" className="hover:underline">Reference</a>
            <Link href={user ? "/dashboard" : "/sign-in"} className="hover:underline">{user ? "Your keys" : "Sign in"}</Link>
          </nav>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-5xl space-y-12 px-4 py-10 sm:px-6">
        <div>
          <h1 className="text-3xl font-semibold tracking-tight">Integrate with Keyport</h1>
          <p className="mt-2 max-w-2xl text-zinc-600 dark:text-zinc-400">
            Every request carries an API key. Create one in the dashboard, call the API with it, and rotate it without downtime.
          </p>
        </div>

        <Section id="quickstart" title="1. Create a key">
          <p className="text-sm">
            In <Link className="text-indigo-600 underline dark:text-indigo-400" href="/dashboard">your dashboard</Link>, choose <strong>Create key</strong>, pick its scopes, and copy the secret: it is shown once.
            {ownKey && <> Your newest active key starts with <code className="font-mono">{ownKey.start}</code>.</>}
          </p>
        </Section>

        <Section id="call" title="2. Call the API">
          <p className="text-sm">Keep the key in an environment variable, out of your code:</p>
          <CodeBlock label="Environment" code={`export KEYPORT_KEY=${key}   # the secret you copied`} />
          <CodeTabs title="Call the API" snippets={snippetsFor({ method: "GET", url: `${origin}/api/v1/me`, keyVar: "KEYPORT_KEY" })} />
          <p className="text-sm">
            <code className="font-mono">X-API-Key: $KEYPORT_KEY</code> works too. Send the key in a header, never in a URL.
          </p>
        </Section>

        <Section id="rotate" title="3. Rotate it">
          <p className="text-sm">Roll a key to get a new secret; the old one keeps working for the grace you choose, so you can deploy the new one first.</p>
          <CodeTabs
            title="Roll a key"
            snippets={snippetsFor({ method: "POST", url: `${origin}/api/v1/keys/<key id>/roll`, keyVar: "MANAGEMENT_KEY", body: { graceSeconds: 86400 } })}
          />
          <p className="text-sm">The management key needs the <code className="font-mono">keys:write</code> scope. The response holds the new secret, once.</p>
        </Section>

        <Section id="format" title="Key format">
          <p className="text-sm">
            <code className="font-mono">{prefix}_live_…</code> or <code className="font-mono">{prefix}_test_…</code>, then 32 random base62 characters and a 6-character CRC32 checksum. For secret scanners:
          </p>
          <CodeBlock label="Key pattern" code={`\\b${prefix}_(live|test)_[0-9A-Za-z]{38}\\b`} />
        </Section>

        <Section id="errors" title="Errors and rate limits">
          <p className="text-sm">
            Every error is <code className="font-mono">{`{ "error": { "code", "message" } }`}</code>: <code className="font-mono">401</code> for a missing, malformed, unknown, revoked or expired key (with <code className="font-mono">WWW-Authenticate</code>), <code className="font-mono">403 insufficient_scope</code>, <code className="font-mono">404</code> for a key that is not yours, <code className="font-mono">422</code> for an invalid body, <code className="font-mono">429 rate_limited</code> with <code className="font-mono">Retry-After</code>.
          </p>
          <p className="text-sm">
            Each key may make {env.RATE_LIMIT_PER_MINUTE} {env.RATE_LIMIT_PER_MINUTE === 1 ? "request" : "requests"} a minute (a service key's <code className="font-mono">POST /api/v1/verify</code> calls, {env.SERVICE_KEY_RATE_LIMIT_PER_MINUTE}) unless an admin set another limit. Every authenticated response carries <code className="font-mono">RateLimit-Limit</code>, <code className="font-mono">RateLimit-Remaining</code> and <code className="font-mono">RateLimit-Reset</code> (seconds).
          </p>
        </Section>

        <Section id="reference" title="Reference">
          <p className="text-sm">
            Generated from the schemas the handlers validate with; the raw document is <a className="text-indigo-600 underline dark:text-indigo-400" href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
          </p>
          {/* overflow-clip, not -hidden: a hidden overflow is a scroll container, and Scalar's sticky sidebar would scroll away and leave a blank column */}
          <div className="overflow-clip rounded-xl border border-zinc-200 bg-white dark:border-zinc-800">
            <ApiReference />
          </div>
        </Section>
      </main>
    </div>
  );
}
