import { db } from "../db";
import { parseScopes } from "./scopes";
import type { KeySnapshot } from "./verification-cache";

/** One row of the snapshot query; the driver adapters type DateTime columns as Date on both engines. */
interface SnapshotRow {
  id: string;
  keyHash: string;
  name: string;
  start: string;
  environment: "live" | "test";
  scopes: string;
  legacy: boolean;
  rateLimitPerMinute: number | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  graceEndsAt: Date | null;
  rolledFromId: string | null;
  retireRolledFromAfterMs: number | null;
  ipAllowlist: string | null;
  ownerId: string;
  ownerEmail: string;
  ownerName: string | null;
  ownerDisabledAt: Date | null;
  ownerDeletedAt: Date | null;
  ownerRole: "USER" | "ADMIN";
  teamId: string | null;
  teamSlug: string | null;
  teamName: string | null;
  teamSuspendedAt: Date | null;
  teamDeletedAt: Date | null;
}

/**
 * Reads one key, its owner (a team key's creator) and its team by hash: one statement, one B-tree lookup on the unique
 * index at any table size. This is the cache-miss path of every /api/v1 request, so it is
 * raw SQL rather than `findUnique` with an `owner` select: that costs two statements and a
 * pass through Prisma's query compiler, 3 to 4 times as long (bench/PROFILE.md). The SQL
 * is the same for SQLite and PostgreSQL (quoted identifiers, one bound parameter), and
 * tests/integration/load-key-snapshot.test.ts compares it with the Prisma query on both.
 */
export async function loadKeySnapshot(hash: string): Promise<KeySnapshot | null> {
  const rows = await db.$queryRaw<SnapshotRow[]>`
    SELECT k."id", k."keyHash", k."name", k."start", k."environment", k."scopes", k."legacy",
           k."rateLimitPerMinute", k."createdAt", k."expiresAt", k."revokedAt", k."revokedReason",
           k."graceEndsAt", k."rolledFromId", k."retireRolledFromAfterMs", k."ipAllowlist",
           u."id" AS "ownerId", u."email" AS "ownerEmail", u."name" AS "ownerName", u."disabledAt" AS "ownerDisabledAt",
           u."deletedAt" AS "ownerDeletedAt", u."role" AS "ownerRole",
           t."id" AS "teamId", t."slug" AS "teamSlug", t."name" AS "teamName", t."suspendedAt" AS "teamSuspendedAt", t."deletedAt" AS "teamDeletedAt"
    FROM "ApiKey" k JOIN "User" u ON u."id" = k."ownerId" LEFT JOIN "Team" t ON t."id" = k."teamId"
    WHERE k."keyHash" = ${hash}`;
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    keyHash: row.keyHash,
    name: row.name,
    start: row.start,
    environment: row.environment,
    scopes: parseScopes(row.scopes),
    legacy: row.legacy,
    rateLimitPerMinute: row.rateLimitPerMinute,
    createdAt: row.createdAt.getTime(),
    expiresAt: row.expiresAt?.getTime() ?? null,
    revokedAt: row.revokedAt?.getTime() ?? null,
    revokedReason: row.revokedReason,
    graceEndsAt: row.graceEndsAt?.getTime() ?? null,
    rolledFromId: row.rolledFromId,
    ipAllowlist: row.ipAllowlist ? row.ipAllowlist.split(" ").filter(Boolean) : [],
    retireRolledFromAfterMs: row.retireRolledFromAfterMs,
    owner: { id: row.ownerId, email: row.ownerEmail, name: row.ownerName, disabled: row.ownerDisabledAt !== null || row.ownerDeletedAt !== null, role: row.ownerRole },
    team: row.teamId
      ? { id: row.teamId, slug: row.teamSlug!, name: row.teamName!, suspended: row.teamSuspendedAt !== null || row.teamDeletedAt !== null }
      : null,
  };
}
