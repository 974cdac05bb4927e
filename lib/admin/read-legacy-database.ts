import { existsSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { AdminError } from "./errors";

/** A row of the tutorial's `users` table. */
export interface LegacyUser {
  id: number;
  userId: string;
  firstName: string | null;
  lastName: string | null;
  createdAt: Date | null;
}

/** A row of the tutorial's `user_api_keys` table; `secretKey` is the plaintext key. */
export interface LegacyKey {
  id: number;
  userId: string;
  secretKey: string | null;
  createdAt: Date | null;
}

export interface LegacyData {
  users: LegacyUser[];
  keys: LegacyKey[];
}

const USERS_SQL = "SELECT id, user_id, first_name, last_name, created_at FROM users ORDER BY id";
const KEYS_SQL = "SELECT id, user_id, secret_key, created_at FROM user_api_keys ORDER BY id";

type RawRow = Record<string, unknown>;

/** PostgreSQL's `timestamp without time zone`, the type SQLAlchemy's DateTime creates. */
const TIMESTAMP_OID = 1114;

/**
 * SQLAlchemy writes DateTime to SQLite as naive text ("2024-05-01 12:30:00.123456") and
 * pg returns a Date. The tutorial stores local time without a zone, which cannot be
 * recovered, so naive times are read as UTC; an unreadable one becomes null.
 */
function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== "string" || !value.trim()) return null;
  const iso = value.trim().replace(" ", "T").replace(/(\.\d{3})\d+/, "$1");
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

function toLegacyData(users: RawRow[], keys: RawRow[]): LegacyData {
  return {
    users: users.map((row) => ({
      id: Number(row.id),
      userId: String(row.user_id ?? ""),
      firstName: text(row.first_name),
      lastName: text(row.last_name),
      createdAt: toDate(row.created_at),
    })),
    keys: keys.map((row) => ({
      id: Number(row.id),
      userId: String(row.user_id ?? ""),
      secretKey: text(row.secret_key),
      createdAt: toDate(row.created_at),
    })),
  };
}

/** Whether `from` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(from: string): boolean {
  return /^postgres(ql)?:\/\//.test(from);
}

function missingTables(from: string, cause: unknown): AdminError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new AdminError("invalid_input", `${from} does not hold the tutorial's users and user_api_keys tables (${detail}).`);
}

async function readSqlite(from: string): Promise<LegacyData> {
  const file = path.resolve(from.replace(/^file:/, ""));
  // better-sqlite3 would create an empty file for a mistyped path; refuse instead.
  if (!existsSync(file)) throw new AdminError("not_found", `No SQLite file at ${file}.`);
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return toLegacyData(sqlite.prepare(USERS_SQL).all() as RawRow[], sqlite.prepare(KEYS_SQL).all() as RawRow[]);
  } catch (error) {
    throw missingTables(file, error);
  } finally {
    sqlite.close();
  }
}

async function readPostgres(from: string): Promise<LegacyData> {
  const client = new pg.Client({
    connectionString: from,
    connectionTimeoutMillis: 5_000,
    // pg reads a zone-less timestamp as local time; read it as UTC, as for SQLite above.
    types: { getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === TIMESTAMP_OID ? toDate : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
  });
  const where = from.replace(/\/\/[^@/]*@/, "//…@");
  try {
    await client.connect();
  } catch (error) {
    throw new AdminError("not_found", `Cannot connect to ${where}: ${error instanceof Error ? error.message : String(error)}.`);
  }
  try {
    // One snapshot for both reads, so a key added in between cannot lose its owner.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const users = await client.query(USERS_SQL);
    const keys = await client.query(KEYS_SQL);
    return toLegacyData(users.rows, keys.rows);
  } catch (error) {
    throw missingTables(where, error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Reads the tutorial's two tables from a SQLite file path or a postgresql:// URL, read-only. */
export function readLegacyDatabase(from: string): Promise<LegacyData> {
  return isPostgresUrl(from) ? readPostgres(from) : readSqlite(from);
}
