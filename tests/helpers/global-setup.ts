import { migrateDatabase } from "../../scripts/migrate-database";

/** Migrates the run's database once, before any test file starts. */
export default async function setup() {
  const databaseUrl = process.env.KEYPORT_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("vitest.config.ts did not choose a test database");
  await migrateDatabase(databaseUrl);
}
