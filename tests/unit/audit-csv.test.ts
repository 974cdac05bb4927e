import { describe, expect, it } from "vitest";
import type { AuditEventRow } from "@/lib/admin/list-audit-events";
import { auditEventsToCsv, csvCell } from "@/lib/admin/audit-csv";

/**
 * Reads CSV as a spreadsheet set to `delimiter` does: RFC 4180 quoting, fields split on the
 * delimiter outside quotes, CRLF between rows. Returns the rows' cells as the reader sees them.
 */
function readAs(csv: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < csv.length; i++) {
    const char = csv[i];
    if (quoted) {
      if (char === '"' && csv[i + 1] === '"') (cell += '"'), i++;
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === "" && !wasQuoted) (quoted = true), (wasQuoted = true);
    else if (char === delimiter) row.push(cell), (cell = ""), (wasQuoted = false);
    else if (char === "\r" && csv[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), (wasQuoted = false), i++;
    else cell += char;
  }
  if (cell !== "" || row.length) row.push(cell), rows.push(row);
  return rows;
}

// What an attacker can put in a key name, a user agent or a revoke reason.
const HOSTILE_CELLS = [
  "=1+1",
  '=HYPERLINK("http://evil.example","click")',
  "+cmd|' /C calc'!A0",
  "-2+3",
  "@SUM(A1:A9)",
  "\t=1+1",
  "\r=1+1",
  "a;=1+1",
  "name;+1;@x;-1",
  "a,=1+1",
  "a\t=1+1",
  "line\n=1+1",
  'quote"=1',
  "; =1",
  "plain name",
];

const FORMULA_START = /^[=+\-@\t\r]/;

function rowWith(userAgent: string, targetKeyName: string): AuditEventRow {
  return {
    id: "evt1",
    createdAt: new Date("2026-01-02T03:04:05.006Z"),
    action: "key.renamed",
    actorEmail: "ada@example.com",
    actorId: "u1",
    targetUserEmail: null,
    targetUserId: null,
    targetKeyStart: "kp_live_Ab3x",
    targetKeyName: targetKeyName,
    targetKeyId: "k1",
    ip: "127.0.0.1",
    userAgent,
    details: { reason: targetKeyName },
  } as AuditEventRow;
}

describe("the audit CSV", () => {
  it("no hostile cell starts a formula in a reader that splits on a comma, a semicolon or a tab", () => {
    const csv = auditEventsToCsv(HOSTILE_CELLS.map((cell) => rowWith(cell, cell)));
    for (const delimiter of [",", ";", "\t"]) {
      const cells = readAs(csv, delimiter).flat();
      const formulas = cells.filter((cell) => FORMULA_START.test(cell));
      expect(formulas, `read with ${JSON.stringify(delimiter)}`).toEqual([]);
    }
  });

  it("a comma reader gets every hostile cell back whole, an apostrophe before each formula character where another reader could start a cell", () => {
    const defused = new Map([
      ["=1+1", "'=1+1"],
      ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
      ["\t=1+1", "'\t'=1+1"],
      ["\r=1+1", "'\r'=1+1"],
      ["a;=1+1", "a;'=1+1"],
      ["name;+1;@x;-1", "name;'+1;'@x;'-1"],
      ["a,=1+1", "a,=1+1"],
      ["a\t=1+1", "a\t'=1+1"],
      ["line\n=1+1", "line\n'=1+1"],
      ['quote"=1', "quote\"'=1"],
      ["plain name", "plain name"],
    ]);
    const cells = [...defused.keys()];
    const rows = readAs(auditEventsToCsv(cells.map((cell) => rowWith(cell, cell))), ",").slice(1);
    expect(rows).toHaveLength(cells.length);
    rows.forEach((row, i) => {
      expect(row).toHaveLength(13);
      expect(row[8]).toBe(defused.get(cells[i])); // targetKeyName
      expect(row[11]).toBe(defused.get(cells[i])); // userAgent
    });
  });

  it("quotes every cell that starts like a formula or holds ; , tab, a quote or a line break, and leaves plain cells bare", () => {
    for (const formula of ["=1", "+1", "-1", "@x", "\t1", "\r1"]) expect(csvCell(formula)).toBe(`"'${formula}"`);
    expect(csvCell("a;b")).toBe('"a;b"');
    expect(csvCell("a;=b")).toBe(`"a;'=b"`);
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("a\tb")).toBe('"a\tb"');
    expect(csvCell('a"b')).toBe('"a""b"');
    expect(csvCell("a\nb")).toBe('"a\nb"');
    expect(csvCell("a=1")).toBe("a=1");
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
  });
});
