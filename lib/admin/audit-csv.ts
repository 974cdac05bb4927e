import type { AuditEventRow } from "./list-audit-events";

const COLUMNS = [
  "createdAt",
  "id",
  "action",
  "actorEmail",
  "actorId",
  "targetUserEmail",
  "targetUserId",
  "targetKeyStart",
  "targetKeyName",
  "targetKeyId",
  "ip",
  "userAgent",
  "details",
] as const;

/**
 * One CSV cell, safe whatever delimiter the reader splits on (a comma; a semicolon, as
 * spreadsheets in many locales expect; a tab). A cell a spreadsheet would read as a formula
 * (starting with = + - @, or a tab or carriage return that some of them skip first) gets a
 * leading apostrophe, as OWASP's "CSV injection" advice says, and is quoted, so an
 * attacker-chosen key name or user agent cannot run in an admin's spreadsheet. Any cell
 * holding a delimiter of any of those readers (`,` `;` tab), a quote or a line break is
 * quoted too (RFC 4180, quotes doubled).
 *
 * Quoting alone does not protect a reader that splits on another delimiter than ours: to a
 * semicolon reader, the comma-separated line is one field up to the first `;`, and the quote
 * that opens our cell sits mid-field, where it is a plain character. So "a;=cmd|…;" would
 * give it a cell "=cmd|…" of its own. Every formula character that follows a `;`, a tab, a
 * line break or a quote (where such a reader may start a cell) gets the apostrophe too.
 */
export function csvCell(value: string | null | undefined): string {
  const original = value ?? "";
  const text = original.replace(/(?<=^|[;\t\r\n"])(?=[=+\-@\t\r])/g, "'");
  return /^[=+\-@\t\r]/.test(original) || /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The audit events as CSV (RFC 4180, CRLF line ends, a header row), safe to open in a spreadsheet. */
export function auditEventsToCsv(rows: readonly AuditEventRow[]): string {
  const lines = [COLUMNS.join(",")];
  for (const row of rows) {
    const values: Record<(typeof COLUMNS)[number], string | null> = {
      ...row,
      createdAt: row.createdAt.toISOString(),
      details: JSON.stringify(row.details),
    };
    lines.push(COLUMNS.map((column) => csvCell(values[column])).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** A CSV download of audit events (never cached), named `keyport-<label>-<UTC time>.csv`. */
export function auditCsvResponse(rows: readonly AuditEventRow[], label: string, now = new Date()): Response {
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(auditEventsToCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="keyport-${label}-${stamp}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
