import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { formatAbsolute, Time } from "@/components/format/dates";
import { keyStatus } from "@/lib/api-keys/key-status";
import type { getKeyForOwner } from "@/lib/api-keys/list-api-keys";
import type { dailyUsage } from "@/lib/usage/read-usage";
import { describeDuration } from "@/lib/validations/durations";
import { AuditEventList } from "./audit-event-list";
import type { ScopeOption } from "./create-key-dialog";
import { ExpiryForm, ScopesForm } from "./key-access-forms";
import { KeyActions } from "./key-actions";
import { KeyScopeProvider } from "./key-scope";
import { keyHref, type KeyScope } from "./key-scope-paths";
import { graceChoices } from "./key-settings";
import { KeyStatusBadge } from "./key-status-badge";
import { IpAllowlistForm } from "./ip-allowlist-form";
import { UsageChart } from "./usage-chart";

export type KeyDetails = NonNullable<Awaited<ReturnType<typeof getKeyForOwner>>>;

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-4 py-3 text-sm">
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="col-span-2">{children}</dd>
    </div>
  );
}

/**
 * One key's page: its state, usage, settings and activity, with the actions the caller may
 * take. A personal key and a team key are this one view; `canManage` comes from lib/ (the
 * team's role rules; always true for one's own personal key), and every action checks again.
 */
export function KeyDetailsView({
  keyRow: key,
  scope,
  usage,
  scopes,
  apiOrigin,
  canManage,
  viewerId,
  createdBy,
  more,
}: {
  keyRow: KeyDetails;
  scope: KeyScope;
  usage: Awaited<ReturnType<typeof dailyUsage>>;
  scopes: ScopeOption[];
  apiOrigin: string;
  canManage: boolean;
  /** The signed-in user: a revoke by them reads "by you". */
  viewerId: string;
  /** A team key shows who created it. */
  createdBy?: string | null;
  /** More for this key below its settings (a personal key: moving it into a team). */
  more?: React.ReactNode;
}) {
  const status = keyStatus(key);
  const works = status === "active" || status === "expiring_soon" || status === "in_grace";

  return (
    <KeyScopeProvider scope={scope}>
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href={scope.listPath} className="text-indigo-600 hover:underline dark:text-indigo-400">
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
        <KeyActions keyId={key.id} keyName={key.name} canChange={works} canRoll={status !== "in_grace"} graceChoices={graceChoices()} apiOrigin={apiOrigin} showView={false} canManage={canManage} />
      </div>

      {status === "revoked" && (
        <div role="status" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-300">
          Revoked {key.revokedAt ? formatAbsolute(key.revokedAt) : ""}
          {/* Named as the activity list names the event's actor: no actor is Keyport itself (a leak report, the CLI). */}
          {key.revokedBy ? (key.revokedBy.id === viewerId ? " by you" : ` by ${key.revokedBy.email}`) : " by Keyport"}
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
            {createdBy !== undefined && <Row label="Created by">{createdBy ?? "—"}</Row>}
            <Row label="Created"><Time date={key.createdAt} /></Row>
            <Row label="Last used"><Time date={key.lastUsedAt} fallback="Never" /></Row>
            <Row label="Expires">{key.expiresAt ? formatAbsolute(key.expiresAt) : "Never"}</Row>
            {key.graceEndsAt && <Row label="Grace ends">{formatAbsolute(key.graceEndsAt)}</Row>}
            {key.rolledFrom && (
              <Row label="Replaces"><Link className="text-indigo-600 hover:underline dark:text-indigo-400" href={keyHref(scope, key.rolledFrom.id)}>{key.rolledFrom.start}…</Link></Row>
            )}
            {key.rolledTo && (
              <Row label="Replaced by">
                <Link className="text-indigo-600 hover:underline dark:text-indigo-400" href={keyHref(scope, key.rolledTo.id)}>{key.rolledTo.start}…</Link>
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
          {works && canManage && (
            <div className="space-y-4 border-t border-zinc-100 py-4 dark:border-zinc-800">
              <ScopesForm keyId={key.id} scopes={key.scopes} options={scopes} />
              <ExpiryForm keyId={key.id} />
            </div>
          )}
          {works && canManage && (
            <div className="border-t border-zinc-100 py-4 dark:border-zinc-800">
              <IpAllowlistForm keyId={key.id} cidrs={key.ipAllowlist ? key.ipAllowlist.split(" ") : []} />
            </div>
          )}
          {works && more && <div className="border-t border-zinc-100 py-4 dark:border-zinc-800">{more}</div>}
        </section>
        <section aria-labelledby="activity" className="rounded-xl border border-zinc-200 bg-white px-5 pb-2 dark:border-zinc-800 dark:bg-zinc-900 lg:col-span-3">
          <h2 id="activity" className="pt-4 font-medium">Activity</h2>
          <AuditEventList events={key.events} />
        </section>
      </div>
    </div>
    </KeyScopeProvider>
  );
}
