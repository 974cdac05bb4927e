import { randomBytes, randomUUID } from "node:crypto";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import bcrypt from "bcrypt";
import Database from "better-sqlite3";
import { TUTORIAL_USER_EMAIL } from "../app/api/bench/tutorial-user";
import { generateApiKey } from "../lib/api-keys/key-format";
import { PrismaClient as PostgresClient } from "../lib/generated/postgresql/client";
import { PrismaClient as SqliteClient } from "../lib/generated/sqlite/client";
import { migrateDatabase } from "../scripts/migrate-database";

/** The tutorial's cost: passlib's CryptContext(schemes=["bcrypt"]) defaults to 12 rounds. */
export const TUTORIAL_BCRYPT_COST = 12;

/** The secrets the bench presents. They live in this process's memory only and are never printed. */
export interface BenchKeys {
  hot: string;
  cold: string[];
  tutorial: string;
  /** A service key (scope `verify`, owned by an admin) for the client's verify round trip. */
  service: string;
}

/** A Prisma client of the generated type for either engine, without going through lib/env. */
export function openClient(databaseUrl: string): SqliteClient {
  if (databaseUrl.startsWith("file:")) return new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: databaseUrl }) });
  return new PostgresClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) }) as unknown as SqliteClient;
}

/**
 * Creates `count` real keys (generateApiKey) for one new owner with createMany, the way the
 * product stores them: only the hash and the display start reach the database.
 */
export async function insertKeys(db: SqliteClient, count: number, label: string): Promise<string[]> {
  const owner = await db.user.create({ data: { email: `${label}-${randomUUID()}@bench.keyport.invalid`, name: `bench ${label}` } });
  const secrets: string[] = [];
  for (let offset = 0; offset < count; offset += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, count - offset) }, () => generateApiKey("kp", "live"));
    secrets.push(...batch.map((key) => key.secret));
    await db.apiKey.createMany({
      data: batch.map((key, i) => ({
        ownerId: owner.id,
        name: `${label} ${offset + i}`,
        environment: "live" as const,
        scopes: "me:read",
        keyHash: key.hash,
        start: key.start,
      })),
    });
  }
  return secrets;
}

/** One key with the `verify` scope, owned by an admin (only an admin's key holds it). */
async function insertServiceKey(db: SqliteClient): Promise<string> {
  const owner = await db.user.create({ data: { email: `service-${randomUUID()}@bench.keyport.invalid`, name: "bench service", role: "ADMIN" } });
  const key = generateApiKey("kp", "live");
  await db.apiKey.create({ data: { ownerId: owner.id, name: "bench service", environment: "live", scopes: "verify", keyHash: key.hash, start: key.start } });
  return key.secret;
}

/** Migrates a fresh database and seeds the server scenarios' keys: one hot, `coldCount` cold, and the tutorial's bcrypt row. */
export async function prepareServerDatabase(databaseUrl: string, coldCount: number): Promise<BenchKeys> {
  await migrateDatabase(databaseUrl);
  const db = openClient(databaseUrl);
  try {
    const [hot] = await insertKeys(db, 1, "hot");
    const service = await insertServiceKey(db);
    const cold = await insertKeys(db, coldCount, "cold");
    // The tutorial's format (MV_SECRET_ + 64 hex) and its storage: a bcrypt hash of the whole key.
    const tutorial = `MV_SECRET_${randomBytes(32).toString("hex")}`;
    await db.user.create({
      data: { email: TUTORIAL_USER_EMAIL, name: "tutorial baseline", passwordHash: await bcrypt.hash(tutorial, TUTORIAL_BCRYPT_COST) },
    });
    return { hot, cold, tutorial, service };
  } finally {
    await db.$disconnect();
  }
}

/**
 * Bulk-inserts `count` synthetic key rows (random 64-hex hashes, no secret behind them) into a
 * migrated SQLite file with one prepared statement in one transaction. Returns the seconds taken.
 */
export function insertSyntheticKeys(file: string, count: number): number {
  const started = process.hrtime.bigint();
  const sqlite = new Database(file);
  try {
    sqlite.pragma("synchronous = OFF");
    sqlite.pragma("cache_size = -262144");
    // Timestamps in the adapter's own text format, so Prisma could read these rows too.
    const now = new Date().toISOString().replace("Z", "+00:00");
    const ownerId = `synthetic-${randomUUID()}`;
    sqlite
      .prepare(`INSERT INTO "User" ("id", "email", "name", "role", "createdAt", "updatedAt") VALUES (?, ?, ?, 'USER', ?, ?)`)
      .run(ownerId, `${ownerId}@bench.keyport.invalid`, "synthetic keys", now, now);
    const insert = sqlite.prepare(
      `INSERT INTO "ApiKey" ("id", "ownerId", "name", "environment", "scopes", "keyHash", "start", "legacy", "createdAt", "updatedAt")
       VALUES (?, ?, 'synthetic', 'live', 'me:read', ?, ?, 0, ?, ?)`,
    );
    // Inserted in hash order with ascending ids, so every index grows at its right edge
    // instead of splitting pages all over the tree: about three times faster at a million rows.
    const entropy = randomBytes(32 * count);
    const hashes = Array.from({ length: count }, (_, i) => entropy.toString("hex", i * 32, i * 32 + 32)).sort();
    sqlite.transaction(() => {
      hashes.forEach((hash, i) => insert.run(`s${String(i).padStart(9, "0")}`, ownerId, hash, `kp_live_${hash.slice(0, 4)}`, now, now));
    })();
  } finally {
    sqlite.close();
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}
