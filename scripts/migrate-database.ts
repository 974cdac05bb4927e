import path from "node:path";
import Database from "better-sqlite3";
import { openSchemaEngine, FILTERS, readMigrations } from "./schema-engine";

/**
 * Applies every pending migration of the database's engine folder and records them in
 * `_prisma_migrations`. Running it again applies nothing. Returns the names applied.
 */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  const { engine, provider, close } = await openSchemaEngine(databaseUrl);
  try {
    const migrationsList = readMigrations(provider);
    if (migrationsList.migrationDirectories.length === 0) {
      throw new Error(`No migrations in ${migrationsList.baseDir}. Run: npm run db:migration -- init`);
    }
    const result = await engine.applyMigrations({ migrationsList, filters: FILTERS });
    return result.appliedMigrationNames;
  } finally {
    await close();
    if (provider === "sqlite") useWriteAheadLog(databaseUrl);
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
