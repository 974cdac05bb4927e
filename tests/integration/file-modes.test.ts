import { mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it, vi } from "vitest";

// The run-time database of this file: a path whose folder does not exist yet, as data/ on a
// fresh clone. The usual umask (022) would make both world-readable if nobody said otherwise.
const runtime = vi.hoisted(() => {
  process.umask(0o022);
  const { mkdtempSync } = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  const os = require("node:os") as typeof import("node:os");
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "keyport-modes-")), "data", "runtime.db");
  process.env.DATABASE_URL = `file:${file}`;
  return { file };
});

import { db } from "@/lib/db";
import { migrateDatabase } from "@/scripts/migrate-database";

const modeOf = (file: string) => statSync(file).mode & 0o777;

afterAll(async () => {
  await db.$disconnect();
});

describe("file modes", () => {
  it("npm run db:migrate creates data/ as 0700 and the database, its WAL and SHM as 0600", async () => {
    const data = path.join(mkdtempSync(path.join(os.tmpdir(), "keyport-modes-")), "data");
    const file = path.join(data, "keyport.db");
    await migrateDatabase(`file:${file}`);
    // A server's connection on the WAL-mode file makes the -wal and -shm files.
    const server = new Database(file);
    try {
      server.prepare("INSERT INTO \"AuditEvent\" (id, action, details, createdAt) VALUES ('e1', 'test', '{}', 0)").run();
      expect(modeOf(data).toString(8)).toBe("700");
      expect(modeOf(file).toString(8)).toBe("600");
      expect(modeOf(`${file}-wal`).toString(8)).toBe("600");
      expect(modeOf(`${file}-shm`).toString(8)).toBe("600");
    } finally {
      server.close();
    }
  });

  it("a database lib/db.ts creates at run time (no migration run first) is 0600 in a 0700 folder, its WAL and SHM too", async () => {
    await db.$executeRawUnsafe("PRAGMA journal_mode = WAL");
    await db.$executeRawUnsafe("CREATE TABLE probe (id INTEGER PRIMARY KEY)");
    await db.$executeRawUnsafe("INSERT INTO probe (id) VALUES (1)");
    expect(modeOf(path.dirname(runtime.file)).toString(8)).toBe("700");
    expect(modeOf(runtime.file).toString(8)).toBe("600");
    expect(modeOf(`${runtime.file}-wal`).toString(8)).toBe("600");
    expect(modeOf(`${runtime.file}-shm`).toString(8)).toBe("600");
  });
});
