import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Every source file of the product: what runs in a server or the CLI (tests and generated code excluded). */
function productSources(): { file: string; text: string }[] {
  const roots = ["app", "lib", "scripts", "components"];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== path.join("lib", "generated")) walk(full);
      } else if (/\.(ts|tsx|mts|mjs|js)$/.test(entry.name)) files.push(full);
    }
  };
  for (const root of roots) walk(root);
  files.push("proxy.ts", "instrumentation.ts");
  return files.map((file) => ({ file, text: readFileSync(file, "utf8") }));
}

describe("the audit trail is append-only", () => {
  it("no code path updates or deletes audit events, through Prisma or raw SQL", () => {
    const sources = productSources();
    const writes = /\bauditEvent\s*\.\s*(update|updateMany|upsert|delete|deleteMany)\b|\bUPDATE\s+"?AuditEvent"?|\bDELETE\s+FROM\s+"?AuditEvent"?|\bTRUNCATE\b[^;]*"?AuditEvent"?/i;
    const offenders = sources.filter(({ text }) => writes.test(text)).map(({ file }) => file);
    expect(offenders).toEqual([]);
    // The scan reads the right files: the one place that writes events is among them.
    expect(sources.filter(({ text }) => /\bauditEvent\s*\.\s*create\b/.test(text)).map(({ file }) => file)).toEqual([path.join("lib", "audit.ts")]);
  });

  it("the schema keeps a user's or a key's events when that user or key is deleted", () => {
    const auditModel = /model AuditEvent \{[\s\S]*?\n\}/.exec(readFileSync("prisma/schema.prisma", "utf8"))?.[0] ?? "";
    const relations = auditModel.split("\n").filter((line) => line.includes("@relation("));
    // actor, target key, target user, and the team (whose events also outlive it)
    expect(relations).toHaveLength(4);
    for (const relation of relations) expect(relation).toContain("onDelete: SetNull");
  });
});
