import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { formatAbsolute, Time } from "@/components/format/dates";
import { keyStatus } from "@/lib/api-keys/key-status";
import { describeDuration } from "@/lib/validations/durations";
import type { OwnerKey } from "@/lib/api-keys/list-api-keys";
import { KeyActions, type KeyActionsProps } from "./key-actions";
import { keyHref, type KeyScope, PERSONAL_SCOPE } from "./key-scope-paths";
import { KeyStatusBadge } from "./key-status-badge";

/**
 * One page of the signed-in user's keys. Columns of less importance drop out on narrower
 * screens (on a phone: name with its start, status, and the actions menu), and every row has
 * one actions menu, so the table fits its container at every width.
 */
export function KeyTable({
  keys,
  requests24h,
  graceChoices,
  apiOrigin,
  scope = PERSONAL_SCOPE,
  canManage = () => true,
  creators,
}: {
  keys: OwnerKey[];
  requests24h: Map<string, number>;
  graceChoices: KeyActionsProps["graceChoices"];
  apiOrigin: string;
  /** Personal keys, or a team's (links go to the team's key pages). */
  scope?: KeyScope;
  /** Whether the caller's role may change this key (the team's rule from lib/teams; personal keys: always). */
  canManage?: (key: OwnerKey) => boolean;
  /** A team's keys show who created each: creator emails by key id. */
  creators?: Map<string, string>;
}) {
  const now = new Date();
  return (
    <div className="relative overflow-x-auto rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="min-w-full divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
        <caption className="sr-only">{scope.teamSlug ? "The team's API keys" : "Your API keys"}</caption>
        <thead className="bg-zinc-50 text-left text-xs font-medium tracking-wide text-zinc-500 uppercase dark:bg-zinc-900/60 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-4 py-3">Name</th>
            <th scope="col" className="hidden px-4 py-3 sm:table-cell">Key</th>
            <th scope="col" className="hidden px-4 py-3 md:table-cell">Scopes</th>
            {creators && <th scope="col" className="hidden px-4 py-3 lg:table-cell">Created by</th>}
            <th scope="col" className="hidden px-4 py-3 2xl:table-cell">Created</th>
            <th scope="col" className="hidden px-4 py-3 sm:table-cell">Last used</th>
            <th scope="col" className="hidden px-4 py-3 text-right md:table-cell">24h</th>
            <th scope="col" className="hidden px-4 py-3 lg:table-cell">Expires</th>
            <th scope="col" className="px-4 py-3">Status</th>
            <th scope="col" className="w-12 px-2 py-3 text-right"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {keys.map((key) => {
            const status = keyStatus(key, now);
            const works = status === "active" || status === "expiring_soon" || status === "in_grace";
            return (
              <tr key={key.id} data-testid={`key-row-${key.id}`} className="align-top">
                <td className="max-w-64 px-4 py-3 break-words">
                  <Link href={keyHref(scope, key.id)} className="font-medium hover:underline">
                    {key.name}
                  </Link>
                  <code className="mt-1 block font-mono text-xs text-zinc-500 sm:hidden dark:text-zinc-400">{key.start}…</code>
                  {key.legacy && (
                    <span className="mt-1 block text-xs text-amber-700 dark:text-amber-400">Legacy format: roll it to a {"kp_"} key.</span>
                  )}
                </td>
                <td className="hidden px-4 py-3 whitespace-nowrap sm:table-cell">
                  <code className="font-mono text-xs">{key.start}…</code>
                  <Badge tone={key.environment === "live" ? "violet" : "zinc"} className="ml-2">
                    {key.environment}
                  </Badge>
                </td>
                <td className="hidden px-4 py-3 md:table-cell">
                  <div className="flex flex-wrap gap-1">
                    {key.scopes.map((name) => (
                      <code key={name} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">
                        {name}
                      </code>
                    ))}
                  </div>
                </td>
                {creators && <td className="hidden max-w-48 truncate px-4 py-3 text-zinc-600 lg:table-cell dark:text-zinc-400">{creators.get(key.id) ?? "—"}</td>}
                <td className="hidden px-4 py-3 whitespace-nowrap text-zinc-600 2xl:table-cell dark:text-zinc-400"><Time date={key.createdAt} /></td>
                <td className="hidden px-4 py-3 whitespace-nowrap text-zinc-600 sm:table-cell dark:text-zinc-400"><Time date={key.lastUsedAt} fallback="Never" /></td>
                <td className="hidden px-4 py-3 text-right whitespace-nowrap text-zinc-600 tabular-nums md:table-cell dark:text-zinc-400">
                  {(requests24h.get(key.id) ?? 0).toLocaleString("en")}
                </td>
                <td className="hidden px-4 py-3 whitespace-nowrap text-zinc-600 lg:table-cell dark:text-zinc-400"><Time date={key.expiresAt} fallback="Never" /></td>
                <td className="px-4 py-3">
                  <KeyStatusBadge status={status} />
                  {status === "in_grace" && key.graceEndsAt && (
                    <span className="mt-1 block max-w-40 text-xs text-zinc-500 dark:text-zinc-400">in grace until {formatAbsolute(key.graceEndsAt)}</span>
                  )}
                  {status === "revoked" && key.revokedByAdmin && (
                    <span className="mt-1 block max-w-48 text-xs text-red-700 dark:text-red-400">
                      Revoked by {key.revokedById ? "an admin" : "Keyport"}{key.revokedReason ? `: ${key.revokedReason}` : "."}
                    </span>
                  )}
                  {key.retiresAfterReplacementUseMs !== null && status !== "revoked" && (
                    <span className="mt-1 block max-w-48 text-xs text-zinc-500 dark:text-zinc-400">
                      Retires {describeDuration(key.retiresAfterReplacementUseMs)} after its replacement is first used
                    </span>
                  )}
                </td>
                <td className="px-2 py-2">
                  <KeyActions
                    keyId={key.id}
                    keyName={key.name}
                    canChange={works}
                    canRoll={status !== "in_grace"}
                    graceChoices={graceChoices}
                    apiOrigin={apiOrigin}
                    canManage={canManage(key)}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {keys.length === 0 && <p className="px-4 py-10 text-center text-sm text-zinc-500 dark:text-zinc-400">No keys match these filters.</p>}
    </div>
  );
}
