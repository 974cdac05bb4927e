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

  it("on a file a running server holds open, a run with nothing to apply returns at once, and one with work says why it cannot", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "keyport-migrate-")), "live.db");
    await migrateDatabase(`file:${file}`);
    // What a running server does to the file: a connection that stays open after reading.
    const server = new Database(file);
    server.prepare("SELECT count(*) FROM ApiKey").get();
    try {
      const started = Date.now();
      expect(await migrateDatabase(`file:${file}`)).toEqual([]);
      expect(Date.now() - started).toBeLessThan(2_000);

      // Forget the newest migration: now there is work, which needs the file to itself.
      server.prepare("DELETE FROM _prisma_migrations WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)").run();
      await expect(migrateDatabase(`file:${file}`)).rejects.toThrow(/in use by another process/);
    } finally {
      server.close();
    }
  });
});
