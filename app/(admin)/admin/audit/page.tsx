import type { Metadata } from "next";
import { buttonClasses } from "@/components/ui/button";
import { formatAbsolute } from "@/components/format/dates";
import { listAuditEvents } from "@/lib/admin/list-audit-events";
import { requireAdmin } from "@/lib/auth";
import { AdminTable } from "../_components/admin-table";
import { FilterBar } from "../_components/filter-bar";
import { Pager } from "../_components/pager";
import { auditFiltersFrom } from "./audit-filters";

export const metadata: Metadata = { title: "Audit log" };

const ACTIONS = [
  "key.created",
  "key.renamed",
  "key.rolled",
  "key.revoked",
  "key.updated",
  "key.grace_ended",
  "key.retirement_scheduled",
  "key.rate_limit_changed",
  "key.leak_reported",
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

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const { params, input } = auditFiltersFrom(await searchParams);
  const { items, nextCursor } = await listAuditEvents({ ...input, take: 50 });
  const filterParams = { actor: params.actor, action: params.action, key: params.key, user: params.user, from: params.from, to: params.to };
  const exportQuery = new URLSearchParams(Object.entries(filterParams).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString();

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Every key event, sign-in and admin action, written in the same transaction as the change.</p>
        </div>
        <a href={`/admin/audit/export${exportQuery ? `?${exportQuery}` : ""}`} className={buttonClasses("secondary")} download>
          Export CSV
        </a>
      </div>
      <FilterBar
        action="/admin/audit"
        controls={[
          { kind: "text", name: "actor", label: "Actor email", value: params.actor, type: "email" },
          { kind: "select", name: "action", label: "Action", value: params.action, options: [{ value: "", label: "Any" }, ...ACTIONS.map((value) => ({ value, label: value }))] },
          { kind: "text", name: "key", label: "Key id", value: params.key },
          { kind: "text", name: "from", label: "From (UTC)", value: params.from, type: "date" },
          { kind: "text", name: "to", label: "To (UTC)", value: params.to, type: "date" },
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
      <Pager basePath="/admin/audit" params={filterParams} nextCursor={nextCursor} hasCursor={Boolean(params.cursor)} />
    </div>
  );
}
