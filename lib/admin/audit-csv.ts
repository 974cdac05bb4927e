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
 * One CSV cell. A cell a spreadsheet would read as a formula (starting with = + - @, or
 * a tab or carriage return that some of them skip first) gets a leading apostrophe, so
 * an attacker-chosen key name or user agent cannot run in an admin's spreadsheet
 * (OWASP "CSV injection"). Then RFC 4180 quoting: quotes doubled, the cell quoted if it
 * holds a comma, a quote or a line break.
 */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? "";
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
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
