// GET /admin/audit/export – the filtered audit log as CSV (admins only; anyone else gets 404)
import { auditEventsToCsv } from "@/lib/admin/audit-csv";
import { listAuditEvents } from "@/lib/admin/list-audit-events";
import { MAX_PAGE_SIZE } from "@/lib/admin/pagination";
import { currentAdmin } from "@/lib/auth";
import { auditFiltersFrom } from "../audit-filters";

/** The most rows one export holds; narrow the filters (a date range) for more. */
const EXPORT_LIMIT = 100_000;

export async function GET(request: Request) {
  // The console's one rule (adminAccess), REQUIRE_2FA_FOR_ADMINS included.
  if (!(await currentAdmin())) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  const searchParams = Object.fromEntries(new URL(request.url).searchParams);
  const { input } = auditFiltersFrom(searchParams);
  const rows = [];
  let cursor: string | undefined;
  do {
    const page = await listAuditEvents({ ...input, cursor, take: MAX_PAGE_SIZE });
    rows.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < EXPORT_LIMIT);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(auditEventsToCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="keyport-audit-${stamp}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
