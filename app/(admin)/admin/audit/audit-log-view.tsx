import { buttonClasses } from "@/components/ui/button";
import { formatAbsolute } from "@/components/format/dates";
import type { AuditEventRow } from "@/lib/admin/list-audit-events";
import { AdminTable } from "../_components/admin-table";
import { FilterBar } from "../_components/filter-bar";
import { Pager } from "../_components/pager";
import type { auditFiltersFrom } from "./audit-filters";

const KEY_ACTIONS = [
  "key.created",
  "key.renamed",
  "key.rolled",
  "key.revoked",
  "key.updated",
  "key.grace_ended",
  "key.retirement_scheduled",
  "key.rate_limit_changed",
  "key.leak_reported",
  "key.moved_to_team",
];

/** The actions a team's audit log holds: its keys' and its own. */
export const TEAM_AUDIT_ACTIONS = [
  ...KEY_ACTIONS,
  "team.created",
  "team.updated",
  "team.suspended",
  "team.unsuspended",
  "team.member_added",
  "team.member_removed",
  "team.member_left",
  "team.role_changed",
  "team.invite_sent",
  "team.invite_revoked",
  "team.invite_accepted",
];

/** Every action the site's audit log can be filtered by. */
export const SITE_AUDIT_ACTIONS = [
  ...TEAM_AUDIT_ACTIONS,
  "team.deleted",
  "auth.signed_up",
  "auth.sign_in",
  "auth.sign_in_failed",
  "user.created",
  "user.disabled",
  "user.enabled",
  "user.promoted",
  "user.demoted",
];

function summary(details: Record<string, unknown>) {
  return Object.entries(details)
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([name, value]) => `${name}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join(" · ");
}

/**
 * An audit log with its filters, CSV export and pager: the site's (admin console) and a
 * team's (its owners and admins) are this one view over reads that lib/ scopes. The export
 * link carries the same filters, so the CSV holds exactly the rows the filters select.
 */
export function AuditLogView({
  basePath,
  filters,
  items,
  nextCursor,
  actions,
  intro,
  canExport = true,
}: {
  basePath: string;
  filters: ReturnType<typeof auditFiltersFrom>["params"];
  items: AuditEventRow[];
  nextCursor: string | null;
  actions: string[];
  intro: string;
  canExport?: boolean;
}) {
  const filterParams = { actor: filters.actor, action: filters.action, key: filters.key, user: filters.user, from: filters.from, to: filters.to };
  const exportQuery = new URLSearchParams(Object.entries(filterParams).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{intro}</p>
        </div>
        {canExport && (
          <a href={`${basePath}/export${exportQuery ? `?${exportQuery}` : ""}`} className={buttonClasses("secondary")} download>
            Export CSV
          </a>
        )}
      </div>
      <FilterBar
        action={basePath}
        controls={[
          { kind: "text", name: "actor", label: "Actor email", value: filters.actor, type: "email" },
          { kind: "select", name: "action", label: "Action", value: filters.action, options: [{ value: "", label: "Any" }, ...actions.map((value) => ({ value, label: value }))] },
          { kind: "text", name: "key", label: "Key id", value: filters.key },
          { kind: "text", name: "from", label: "From (UTC)", value: filters.from, type: "date" },
          { kind: "text", name: "to", label: "To (UTC)", value: filters.to, type: "date" },
        ]}
      />
      <AdminTable caption="Audit events" headers={["Time (UTC)", "Action", "Actor", "Target", "Details", "From"]} empty={items.length ? undefined : "No events match."}>
        {items.map((event) => (
          <tr key={event.id} className="align-top">
            <td className="px-4 py-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400">{formatAbsolute(event.createdAt)}</td>
            <td className="px-4 py-3"><code className="font-mono text-xs">{event.action}</code></td>
            <td className="px-4 py-3">{event.actorEmail ?? <span className="text-zinc-500 dark:text-zinc-400">system</span>}</td>
            <td className="px-4 py-3">
              {event.targetKeyStart && <code className="block font-mono text-xs">{event.targetKeyStart}… {event.targetKeyName}</code>}
              {event.targetUserEmail && <span className="block text-xs text-zinc-600 dark:text-zinc-400">{event.targetUserEmail}</span>}
            </td>
            <td className="max-w-80 px-4 py-3 text-xs break-words text-zinc-600 dark:text-zinc-400">{summary(event.details)}</td>
            <td className="px-4 py-3 text-xs text-zinc-600 dark:text-zinc-400">
              {event.ip && <span className="block font-mono">{event.ip}</span>}
              {event.userAgent && <span className="block max-w-48 truncate" title={event.userAgent}>{event.userAgent}</span>}
            </td>
          </tr>
        ))}
      </AdminTable>
      <Pager basePath={basePath} params={filterParams} nextCursor={nextCursor} hasCursor={Boolean(filters.cursor)} />
    </div>
  );
}
