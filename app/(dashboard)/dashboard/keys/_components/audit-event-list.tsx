import { formatAbsolute, Time } from "@/components/format/dates";

const ACTION_LABELS: Record<string, string> = {
  "key.created": "Created",
  "key.renamed": "Renamed",
  "key.rolled": "Rolled",
  "key.revoked": "Revoked",
  "key.grace_ended": "Grace ended",
  "key.updated": "Updated",
  "key.retirement_scheduled": "Retirement scheduled",
  "key.rate_limit_changed": "Rate limit changed",
  "key.leak_reported": "Reported leaked",
};

export interface AuditEventRow {
  id: string;
  action: string;
  createdAt: Date;
  ip: string | null;
  userAgent: string | null;
  details: string;
  actor: { email: string } | null;
}

function describe(event: AuditEventRow): string {
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(event.details) as Record<string, unknown>;
  } catch {
    // Details are ours and always JSON; an unreadable one just shows no detail.
  }
  if (event.action === "key.renamed") return `“${String(details.from)}” → “${String(details.to)}”`;
  if (event.action === "key.revoked" && details.reason) return `Reason: ${String(details.reason)}`;
  if (event.action === "key.rolled" && details.graceEndsAt) return `Old key works until ${formatAbsolute(new Date(String(details.graceEndsAt)))}`;
  return "";
}

/** A key's audit trail, newest first. */
export function AuditEventList({ events }: { events: AuditEventRow[] }) {
  if (events.length === 0) return <p className="text-sm text-zinc-500">No events yet.</p>;
  return (
    <ol className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {events.map((event) => (
        <li key={event.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-3 text-sm">
          <div>
            <span className="font-medium">{ACTION_LABELS[event.action] ?? event.action}</span>
            <span className="text-zinc-500 dark:text-zinc-400"> by {event.actor?.email ?? "Keyport"}</span>
            {describe(event) && <p className="text-zinc-600 dark:text-zinc-400">{describe(event)}</p>}
          </div>
          <div className="text-right text-xs text-zinc-500 dark:text-zinc-400">
            <Time date={event.createdAt} />
            {event.ip && <span className="block font-mono">{event.ip}</span>}
          </div>
        </li>
      ))}
    </ol>
  );
}
