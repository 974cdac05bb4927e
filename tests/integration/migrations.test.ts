import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrateDatabase } from "@/scripts/migrate-database";

describe("db:migrate", () => {
  it("creates a fresh SQLite file with every table, records the migration, and a second run applies nothing", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "keyport-migrate-")), "nested", "fresh.db");
    const applied = await migrateDatabase(`file:${file}`);
    expect(applied.length).toBeGreaterThan(0);
    expect(await migrateDatabase(`file:${file}`)).toEqual([]);
    const sqlite = new Database(file, { readonly: true });
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((row) => (row as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(["User", "Account", "ApiKey", "AuditEvent", "_prisma_migrations"]));
    const recorded = sqlite.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL").all();
    expect(recorded).toHaveLength(applied.length);
    const keyHashIndex = sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'ApiKey_keyHash_key'").get() as { sql: string };
    expect(keyHashIndex.sql).toMatch(/CREATE UNIQUE INDEX/);
    sqlite.close();
  });
});
