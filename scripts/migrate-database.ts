import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { createPrivateSqliteFile } from "../lib/private-files";
import { FILTERS, openSchemaEngine, providerOf, readMigrations } from "./schema-engine";

/**
 * Applies every pending migration of the database's engine folder and records them in
 * `_prisma_migrations`. Running it again applies nothing. Returns the names applied.
 */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  // Created here, before SQLite or the schema engine would create it world-readable.
  if (providerOf(databaseUrl) === "sqlite") createPrivateSqliteFile(path.resolve(databaseUrl.replace(/^file:/, "")));
  if (providerOf(databaseUrl) === "sqlite" && sqliteIsUpToDate(databaseUrl)) {
    useWriteAheadLog(databaseUrl);
    return [];
  }
  const { engine, provider, close } = await openSchemaEngine(databaseUrl);
  try {
    const migrationsList = readMigrations(provider);
    if (migrationsList.migrationDirectories.length === 0) {
      throw new Error(`No migrations in ${migrationsList.baseDir}. Run: npm run db:migration -- init`);
    }
    const result = await engine.applyMigrations({ migrationsList, filters: FILTERS }).catch((error: unknown) => {
      if (provider === "sqlite" && /SocketTimeout|database is locked/.test(String(error))) {
        throw new Error(
          `${databaseUrl} is in use by another process (a running Keyport server or CLI). Migrating SQLite needs the file to itself: stop that process and run this again.`,
        );
      }
      throw error;
    });
    return result.appliedMigrationNames;
  } finally {
    await close();
    if (provider === "sqlite") useWriteAheadLog(databaseUrl);
  }
}

/**
 * Whether every migration in the folder is recorded as applied, with the checksum of the
 * file as it is now (Prisma's own: the SHA-256 of migration.sql). Then there is nothing for
 * the schema engine to do, and it is not started: on SQLite it takes an exclusive lock
 * (PRAGMA locking_mode=EXCLUSIVE), which fails while a running server has the file open.
 * Anything else (a pending, failed or edited migration, no table yet) goes to the engine,
 * which applies it or reports it.
 */
function sqliteIsUpToDate(databaseUrl: string): boolean {
  const file = path.resolve(databaseUrl.replace(/^file:/, ""));
  if (!existsSync(file)) return false;
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!hasTable) return false;
    const rows = sqlite.prepare("SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations").all() as {
      migration_name: string;
      checksum: string;
      finished_at: string | null;
      rolled_back_at: string | null;
    }[];
    if (rows.some((row) => row.finished_at === null && row.rolled_back_at === null)) return false; // a failed migration
    const applied = new Map(rows.filter((row) => row.finished_at !== null && row.rolled_back_at === null).map((row) => [row.migration_name, row.checksum]));
    const { baseDir, migrationDirectories } = readMigrations("sqlite");
    if (migrationDirectories.length === 0) return false; // the engine path reports a missing folder
    return migrationDirectories.every(({ path: name }) => {
      const sql = path.join(baseDir, name, "migration.sql");
      return existsSync(sql) && applied.get(name) === createHash("sha256").update(readFileSync(sql)).digest("hex");
    });
  } finally {
    sqlite.close();
  }
}

/**
 * WAL lets readers (the server) and a writer (the CLI, another process) work at once
 * instead of failing on a locked file; the mode is stored in the file, so setting it once
 * here covers every later connection.
 */
function useWriteAheadLog(databaseUrl: string) {
  const sqlite = new Database(path.resolve(databaseUrl.replace(/^file:/, "")));
  try {
    sqlite.pragma("journal_mode = WAL");
  } finally {
    sqlite.close();
  }
}
