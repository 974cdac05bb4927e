import type { Metadata } from "next";
import { listAuditEvents } from "@/lib/admin/list-audit-events";
import { requireAdmin } from "@/lib/auth";
import { auditFiltersFrom } from "./audit-filters";
import { AuditLogView, SITE_AUDIT_ACTIONS } from "./audit-log-view";

export const metadata: Metadata = { title: "Audit log" };

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const { params, input } = auditFiltersFrom(await searchParams);
  const { items, nextCursor } = await listAuditEvents({ ...input, take: 50 });
  return (
    <AuditLogView
      basePath="/admin/audit"
      filters={params}
      items={items}
      nextCursor={nextCursor}
      actions={SITE_AUDIT_ACTIONS}
      intro="Every key event, sign-in and admin action, written in the same transaction as the change."
    />
  );
}
