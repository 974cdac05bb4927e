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
  }
}
