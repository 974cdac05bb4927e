import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/format/dates";
import { KEY_STATUSES, listAllKeys } from "@/lib/admin/list-keys";
import { KEY_STATUS_LABELS, type KeyStatus } from "@/lib/api-keys/key-status";
import { requireAdmin } from "@/lib/auth";
import { keyRateLimitPerMinute } from "@/lib/rate-limit/key-rate-limit";
import { KeyStatusBadge } from "../../../(dashboard)/dashboard/keys/_components/key-status-badge";
import { adminRevokeKey, adminSetKeyRateLimit } from "../actions";
import { AdminActionButton } from "../_components/admin-action-button";
import { AdminTable } from "../_components/admin-table";
import { FilterBar } from "../_components/filter-bar";
import { Pager } from "../_components/pager";
import { readParams } from "../_components/read-params";

export const metadata: Metadata = { title: "Keys" };

/** A key's default limits: a service key's /verify calls have their own (isServiceKey). */
function defaultLimits(key: Parameters<typeof keyRateLimitPerMinute>[0]): string {
  const api = keyRateLimitPerMinute({ ...key, rateLimitPerMinute: null });
  const verify = keyRateLimitPerMinute({ ...key, rateLimitPerMinute: null }, "verify");
  return verify === api ? `${api}` : `${api}; ${verify} for /verify`;
}

export default async function AdminKeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const params = readParams(await searchParams, ["status", "environment", "owner", "search", "cursor"] as const);
  const status = KEY_STATUSES.includes(params.status as KeyStatus) ? (params.status as KeyStatus) : undefined;
  const environment = params.environment === "live" || params.environment === "test" ? params.environment : undefined;
  const { items, nextCursor } = await listAllKeys({ status, environment, ownerEmail: params.owner, search: params.search, cursor: params.cursor, take: 50 });

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Keys</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Every user&apos;s keys. A revoke takes effect on the key&apos;s next request; its owner sees your reason.</p>
      </div>
      <FilterBar
        action="/admin/keys"
        controls={[
          { kind: "text", name: "search", label: "Name or start", value: params.search, placeholder: "kp_live_Ab3x" },
          { kind: "text", name: "owner", label: "Owner email", value: params.owner, type: "email" },
          { kind: "select", name: "status", label: "Status", value: status, options: [{ value: "", label: "Any" }, ...KEY_STATUSES.map((value) => ({ value, label: KEY_STATUS_LABELS[value] }))] },
          { kind: "select", name: "environment", label: "Environment", value: environment, options: [{ value: "", label: "Any" }, { value: "live", label: "live" }, { value: "test", label: "test" }] },
        ]}
      />
      <AdminTable caption="Keys" headers={["Key", "Owner", "Created", "Last used", "Limit / min", "Status", ""]} empty={items.length ? undefined : "No keys match."}>
        {items.map((key) => (
          <tr key={key.id} data-testid={`admin-key-row-${key.id}`} className="align-top">
            <td className="px-4 py-3">
              <span className="font-medium">{key.name}</span>
              <span className="mt-1 flex items-center gap-2">
                <code className="font-mono text-xs">{key.start}…</code>
                <Badge tone={key.environment === "live" ? "violet" : "zinc"}>{key.environment}</Badge>
              </span>
            </td>
            <td className="px-4 py-3">
              {key.team ? (
                <>
                  <Link href={`/admin/teams/${key.team.slug}`} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                    {key.team.name}
                  </Link>
                  <span className="mt-1 block text-xs text-zinc-600 dark:text-zinc-400">team key, created by {key.owner.email}</span>
                </>
              ) : (
                key.owner.email
              )}
            </td>
            <td className="px-4 py-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400"><Time date={key.createdAt} /></td>
            <td className="px-4 py-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400"><Time date={key.lastUsedAt} fallback="Never" /></td>
            <td className="px-4 py-3 whitespace-nowrap">{key.rateLimitPerMinute ?? <span className="text-zinc-500 dark:text-zinc-400">{defaultLimits(key)} (default)</span>}</td>
            <td className="px-4 py-3">
              <KeyStatusBadge status={key.status} />
              {key.status === "revoked" && key.revokedReason && <span className="mt-1 block max-w-56 text-xs text-zinc-600 dark:text-zinc-400">{key.revokedReason}</span>}
            </td>
            <td className="px-4 py-2 whitespace-nowrap text-right">
              <AdminActionButton
                action={adminSetKeyRateLimit}
                label="Limit"
                ariaLabel={`Set the rate limit of ${key.name}`}
                title="Rate limit"
                description={`Requests a minute for ${key.start}…; empty uses the default (${defaultLimits(key)}).`}
                submitLabel="Save limit"
                hidden={{ keyId: key.id }}
                fields={[{ name: "limit", label: "Requests a minute", type: "number", defaultValue: key.rateLimitPerMinute?.toString() ?? "" }]}
              />
              {key.status !== "revoked" && (
                <AdminActionButton
                  action={adminRevokeKey}
                  label="Revoke"
                  ariaLabel={`Revoke ${key.name} of ${key.owner.email}`}
                  title="Revoke key"
                  description={`${key.start}… of ${key.owner.email} will be refused from its next request. This cannot be undone.`}
                  submitLabel="Revoke key"
                  variant="danger"
                  hidden={{ keyId: key.id }}
                  fields={[{ name: "reason", label: "Reason", required: true, hint: "Shown to the key's owner and kept in the audit log." }]}
                />
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
      <Pager basePath="/admin/keys" params={{ status, environment, owner: params.owner, search: params.search }} nextCursor={nextCursor} hasCursor={Boolean(params.cursor)} />
    </div>
  );
}
