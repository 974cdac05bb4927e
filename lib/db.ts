import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import { env } from "./env";
import { createPrivateSqliteFile } from "./private-files";
import { processSingleton } from "./process-singleton";
import { serializedSqliteAdapter } from "./serialized-sqlite";

/**
 * The Prisma client singleton. DATABASE_URL picks the engine: `file:` is SQLite through
 * better-sqlite3 (the embedded default), `postgresql://` is PostgreSQL through pg.
 * Both clients are generated from the same schema, so they share one type; the cast
 * below is the one place that says so.
 */
export type Db = SqliteClient;
/** Prisma.sql and Prisma.join for raw SQL; they come from the runtime both clients share. */
export { Prisma } from "./generated/sqlite/client";

export const databaseKind: "sqlite" | "postgresql" = env.DATABASE_URL.startsWith("file:")
  ? "sqlite"
  : "postgresql";

/**
 * Resolves `file:./data/x.db` against the working directory and makes sure the file exists,
 * readable by the owner only (0600 in a 0700 folder, as are SQLite's WAL and SHM files).
 */
export function sqliteFilePath(url: string): string {
  const file = path.resolve(url.replace(/^file:/, ""));
  createPrivateSqliteFile(file);
  return file;
}

function createClient(): Db {
  if (databaseKind === "sqlite") {
    return new SqliteClient({ adapter: serializedSqliteAdapter(`file:${sqliteFilePath(env.DATABASE_URL)}`) });
  }
  const adapter = new PrismaPg({
    connectionString: env.DATABASE_URL,
    // Bounded waits: an unreachable database must surface as a 503, not a hung request.
    connectionTimeoutMillis: 2_000,
    query_timeout: 5_000,
  });
  return new PostgresClient({ adapter }) as unknown as Db;
}

/** One client per process: shared by every bundle, and reused across hot reloads in development. */
export const db: Db = processSingleton("db", createClient);
