import { afterAll, describe, expect, it, vi } from "vitest";

// A database of its own (SQLite file or, on a PostgreSQL run, a fresh PostgreSQL database),
// migrated only as far as main was before the accounts-and-teams migration.
const own = await vi.hoisted(async () => (await import("../fixtures/own-database")).useOwnDatabase("teams_upgrade"));

import { generateApiKey } from "@/lib/api-keys/key-format";
import { listKeysPageForOwner } from "@/lib/api-keys/list-api-keys";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { migrateDatabase } from "@/scripts/migrate-database";
import { FILTERS, openSchemaEngine, readMigrations } from "@/scripts/schema-engine";

const TEAMS_MIGRATION = "20261204202036_accounts_and_teams";

/** Applies the migrations that came before `firstLeftOut`: the schema of the main branch before it. */
async function migrateUpTo(databaseUrl: string, firstLeftOut: string) {
  const { engine, provider, close } = await openSchemaEngine(databaseUrl);
  try {
    const list = readMigrations(provider);
    const before = { ...list, migrationDirectories: list.migrationDirectories.filter((dir) => dir.path < firstLeftOut) };
    expect(before.migrationDirectories.length).toBeGreaterThan(0);
    expect(before.migrationDirectories.length).toBeLessThan(list.migrationDirectories.length);
    return (await engine.applyMigrations({ migrationsList: before, filters: FILTERS })).appliedMigrationNames;
  } finally {
    await close();
  }
}

afterAll(async () => {
  await db.$disconnect();
  await own.drop();
});

describe("upgrading a database made before teams", () => {
  it("an existing personal key keeps verifying after the accounts-and-teams migration, and stays personal", async () => {
    const applied = await migrateUpTo(own.url, TEAMS_MIGRATION);
    expect(applied).not.toContain(TEAMS_MIGRATION);

    // Rows as the old schema holds them (no teamId, no emailVerifiedAt yet), written with plain SQL.
    const { secret, hash, start } = generateApiKey(env.KEY_PREFIX, "live");
    const now = new Date("2026-12-01T10:00:00.000Z");
    await db.$executeRaw`INSERT INTO "User" ("id", "email", "name", "role", "createdAt", "updatedAt") VALUES ('u_before_teams', 'before@example.test', 'Before', 'USER', ${now}, ${now})`;
    await db.$executeRaw`INSERT INTO "ApiKey" ("id", "ownerId", "name", "environment", "scopes", "keyHash", "start", "legacy", "createdAt", "updatedAt") VALUES ('k_before_teams', 'u_before_teams', 'pre-teams key', 'live', 'me:read keys:read', ${hash}, ${start}, false, ${now}, ${now})`;

    expect(await migrateDatabase(own.url)).toEqual([TEAMS_MIGRATION]);

    const result = await verifyApiKey(secret, { scopes: ["me:read"], now: Date.now() });
    expect(result.ok).toBe(true);
    expect(result.key).toMatchObject({ id: "k_before_teams", team: null, owner: { id: "u_before_teams", email: "before@example.test" }, scopes: ["me:read", "keys:read"] });
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: "k_before_teams" }, select: { teamId: true, createdAt: true } });
    expect(row).toEqual({ teamId: null, createdAt: now });
    // The owner's dashboard still lists it among their personal keys.
    const page = await listKeysPageForOwner("u_before_teams");
    expect(page.keys.map((key) => key.id)).toEqual(["k_before_teams"]);
  });
});
