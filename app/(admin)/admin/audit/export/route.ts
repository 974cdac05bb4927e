// GET /admin/audit/export – the filtered audit log as CSV (admins only; anyone else gets 404)
import { auditCsvResponse } from "@/lib/admin/audit-csv";
import { collectAuditEvents } from "@/lib/admin/list-audit-events";
import { currentAdmin } from "@/lib/auth";
import { auditFiltersFrom } from "../audit-filters";

export async function GET(request: Request) {
  // The console's one rule (adminAccess), REQUIRE_2FA_FOR_ADMINS included.
  if (!(await currentAdmin())) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  const searchParams = Object.fromEntries(new URL(request.url).searchParams);
  const { cursor: _cursor, ...input } = auditFiltersFrom(searchParams).input;
  return auditCsvResponse(await collectAuditEvents(input), "audit");
}
