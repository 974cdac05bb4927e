// npm run db:migrate – applies pending migrations to the database DATABASE_URL names
// (default: the SQLite file data/keyport.db, created if missing).
import { migrateDatabase } from "./migrate-database";

const databaseUrl = process.env.DATABASE_URL || "file:./data/keyport.db";

migrateDatabase(databaseUrl)
  .then((applied) => {
    const where = databaseUrl.startsWith("file:") ? databaseUrl : databaseUrl.replace(/\/\/[^@]*@/, "//…@");
    console.log(applied.length ? `Applied ${applied.length} migration(s) to ${where}: ${applied.join(", ")}` : `${where} is up to date.`);
  })
  .catch((error: unknown) => {
    console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
