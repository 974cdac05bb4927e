import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { formatAbsolute, Time } from "@/components/format/dates";
import { keyStatus } from "@/lib/api-keys/key-status";
import { getKeyForOwner } from "@/lib/api-keys/list-api-keys";
import { requireUser } from "@/lib/auth";
import { apiOrigin } from "../_components/api-origin";
import { AuditEventList } from "../_components/audit-event-list";
import { KeyActions } from "../_components/key-actions";
import { graceChoices, scopeOptions } from "../_components/key-settings";
import { ExpiryForm, ScopesForm } from "../_components/key-access-forms";
import { KeyStatusBadge } from "../_components/key-status-badge";
import { IpAllowlistForm } from "../_components/ip-allowlist-form";
import { UsageChart } from "../_components/usage-chart";
import { dailyUsage } from "@/lib/usage/read-usage";
import { describeDuration } from "@/lib/validations/durations";

export const metadata: Metadata = { title: "Key" };

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-4 py-3 text-sm">
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="col-span-2">{children}</dd>
    </div>
  );
}

export default async function KeyPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  // Another user's key id answers exactly like one that does not exist.
  const key = await getKeyForOwner(id, user.id);
  if (!key) notFound();
  const status = keyStatus(key);
  const usage = await dailyUsage([key.id]);
  const works = status === "active" || status === "expiring_soon" || status === "in_grace";

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/dashboard" className="text-indigo-600 hover:underline dark:text-indigo-400">
          ← All keys
        </Link>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{key.name}</h1>
          <p className="mt-1 flex items-center gap-2">
            <code className="font-mono text-sm">{key.start}…</code>
            <KeyStatusBadge status={status} />
          </p>
        </div>
        <KeyActions keyId={key.id} keyName={key.name} canChange={works} canRoll={status !== "in_grace"} graceChoices={graceChoices()} apiOrigin={await apiOrigin()} showView={false} />
      </div>

      {status === "revoked" && (
        <div role="status" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-300">
          Revoked {key.revokedAt ? formatAbsolute(key.revokedAt) : ""}
          {/* Named as the activity list names the event's actor: no actor is Keyport itself (a leak report, the CLI). */}
          {key.revokedBy ? (key.revokedByAdmin ? ` by ${key.revokedBy.email}` : " by you") : " by Keyport"}
          {key.revokedReason ? `: ${key.revokedReason}` : "."}
        </div>
      )}

      <section aria-label="Usage" className="rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <UsageChart days={usage} label="Requests to this key" />
      </section>

      <div className="grid gap-6 lg:grid-cols-5">
        <section aria-labelledby="settings" className="rounded-xl border border-zinc-200 bg-white px-5 dark:border-zinc-800 dark:bg-zinc-900 lg:col-span-2">
          <h2 id="settings" className="pt-4 font-medium">Settings</h2>
          <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">
            <Row label="Environment"><Badge tone={key.environment === "live" ? "violet" : "zinc"}>{key.environment}</Badge></Row>
            <Row label="Scopes">
              <div className="flex flex-wrap gap-1">
                {key.scopes.map((scope) => (
                  <code key={scope} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">{scope}</code>
                ))}
              </div>
            </Row>
            <Row label="Allowed IPs">{key.ipAllowlist ? <code className="font-mono text-xs">{key.ipAllowlist.split(" ").join(", ")}</code> : "Anywhere"}</Row>
            <Row label="Created"><Time date={key.createdAt} /></Row>
            <Row label="Last used"><Time date={key.lastUsedAt} fallback="Never" /></Row>
            <Row label="Expires">{key.expiresAt ? formatAbsolute(key.expiresAt) : "Never"}</Row>
            {key.graceEndsAt && <Row label="Grace ends">{formatAbsolute(key.graceEndsAt)}</Row>}
            {key.rolledFrom && (
              <Row label="Replaces"><Link className="text-indigo-600 hover:underline dark:text-indigo-400" href={`/dashboard/keys/${key.rolledFrom.id}`}>{key.rolledFrom.start}…</Link></Row>
            )}
            {key.rolledTo && (
              <Row label="Replaced by">
                <Link className="text-indigo-600 hover:underline dark:text-indigo-400" href={`/dashboard/keys/${key.rolledTo.id}`}>{key.rolledTo.start}…</Link>
                <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                  {key.rolledTo.retireRolledFromAfterMs !== null
                    ? `This key retires ${describeDuration(key.rolledTo.retireRolledFromAfterMs)} after the new key is first used; it has not been used yet.`
                    : key.rolledTo.lastUsedAt
                      ? "The new key is in use."
                      : "The new key has not been used yet."}
                </span>
              </Row>
            )}
          </dl>
          {works && (
            <div className="space-y-4 border-t border-zinc-100 py-4 dark:border-zinc-800">
              <ScopesForm keyId={key.id} scopes={key.scopes} options={scopeOptions(user.role === "ADMIN")} />
              <ExpiryForm keyId={key.id} />
            </div>
          )}
          {works && (
            <div className="border-t border-zinc-100 py-4 dark:border-zinc-800">
              <IpAllowlistForm keyId={key.id} cidrs={key.ipAllowlist ? key.ipAllowlist.split(" ") : []} />
            </div>
          )}
        </section>
        <section aria-labelledby="activity" className="rounded-xl border border-zinc-200 bg-white px-5 pb-2 dark:border-zinc-800 dark:bg-zinc-900 lg:col-span-3">
          <h2 id="activity" className="pt-4 font-medium">Activity</h2>
          <AuditEventList events={key.events} />
        </section>
      </div>
    </div>
  );
}
