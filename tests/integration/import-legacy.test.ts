import pg from "pg";
import { describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/v1/me/route";
import { IMPORTED_KEY_NAME, importLegacy, LEGACY_EMAIL_DOMAIN, placeholderEmailFor } from "@/lib/admin/import-legacy";
import { hashApiKey } from "@/lib/api-keys/key-format";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { db } from "@/lib/db";
import { emailSchema } from "@/lib/validations/auth";
import { createTutorialSqlite, TUTORIAL_POSTGRES_DDL, type TutorialRows, tutorialRows } from "../fixtures/legacy-tutorial";

const routeContext = { params: Promise.resolve({}) };

function callMe(secret: string) {
  return me(new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${secret}` } }), routeContext);
}

/** Everything an import of these rows could have written, found by the rows' own hashes and emails. */
async function writtenFor(rows: TutorialRows) {
  const hashes = rows.keys.flatMap((key) => (key.secret_key ? [hashApiKey(key.secret_key)] : []));
  const emails = rows.users.map((user) => placeholderEmailFor(user.user_id));
  const keys = await db.apiKey.findMany({ where: { keyHash: { in: hashes } } });
  const users = await db.user.findMany({ where: { email: { in: emails } } });
  const events = await db.auditEvent.findMany({
    where: { OR: [{ targetKeyId: { in: keys.map((key) => key.id) } }, { targetUserId: { in: users.map((user) => user.id) } }] },
  });
  return { keys, users, events };
}

const expectedSkips = [
  { legacyId: 4, reason: "empty secret_key" },
  { legacyId: 5, reason: "secret_key is not MV_SECRET_ followed by 64 lower-case hex characters" },
  { legacyId: 6, reason: "secret_key is not MV_SECRET_ followed by 64 lower-case hex characters" },
  { legacyId: 7, reason: "same secret as legacy key 1" },
  { legacyId: 8, reason: expect.stringContaining("is not in the users table") },
  { legacyId: 9, reason: "empty secret_key" },
];

describe("importLegacy from the tutorial's SQLite database", () => {
  it("a dry run reports what an import would do and writes nothing", async () => {
    const rows = tutorialRows();
    const summary = await importLegacy({ from: createTutorialSqlite(rows), dryRun: true });

    expect(summary).toEqual({ dryRun: true, usersCreated: 3, usersMatched: 0, keysImported: 3, keysSkipped: expectedSkips });
    expect(await writtenFor(rows)).toEqual({ keys: [], users: [], events: [] });
  });

  it("imports only hashes, the imported keys authenticate through GET /api/v1/me, and a second run imports nothing", async () => {
    const rows = tutorialRows();
    const file = createTutorialSqlite(rows);
    // A client that tried its key before the import is remembered as unknown; the import must clear that.
    expect(await verifyApiKey(rows.secrets.alice)).toMatchObject({ ok: false, reason: "unknown" });

    const summary = await importLegacy({ from: file, dryRun: false });

    expect(summary).toEqual({ dryRun: false, usersCreated: 3, usersMatched: 0, keysImported: 3, keysSkipped: expectedSkips });
    const response = await callMe(rows.secrets.alice);
    expect(response.status).toBe(200);
    const alice = placeholderEmailFor(rows.users[0].user_id);
    expect(await response.json()).toMatchObject({
      owner: { email: alice, name: "Alice Liddell" },
      key: { name: IMPORTED_KEY_NAME, environment: "live", scopes: ["me:read"], start: rows.secrets.alice.slice(0, 14) },
    });
    expect(await verifyApiKey(rows.secrets.grace, { scopes: ["me:read"] })).toMatchObject({ ok: true, key: { legacy: true } });
    expect((await callMe(rows.secrets.ghost)).status).toBe(401);

    const written = await writtenFor(rows);
    expect(written.keys).toHaveLength(3);
    expect(written.keys.every((key) => key.legacy && key.start.length === 14 && key.start.startsWith("MV_SECRET_"))).toBe(true);
    expect(written.keys[0].createdAt.toISOString()).toBe("2024-03-05T14:30:00.123Z");
    expect(written.users.map((user) => user.email).sort()).toEqual(
      [alice, placeholderEmailFor(rows.users[1].user_id), rows.users[2].user_id].sort(),
    );
    expect(written.users.every((user) => user.passwordHash === null)).toBe(true);
    const keyEvents = written.events.filter((event) => event.action === "key.created");
    expect(keyEvents).toHaveLength(3);
    expect(keyEvents.every((event) => JSON.parse(event.details).imported === true)).toBe(true);
    const everything = JSON.stringify(written);
    for (const secret of Object.values(rows.secrets)) expect(everything).not.toContain(secret.slice(10));

    const again = await importLegacy({ from: file, dryRun: false });
    expect(again).toMatchObject({ usersCreated: 0, usersMatched: 0, keysImported: 0 });
    expect(again.keysSkipped.filter((skip) => skip.reason === "already imported").map((skip) => skip.legacyId)).toEqual([1, 2, 3]);
    const afterSecondRun = await writtenFor(rows);
    expect(afterSecondRun.keys).toHaveLength(3);
    expect(afterSecondRun.users).toHaveLength(3);
    expect(afterSecondRun.events).toHaveLength(written.events.length);
  });

  it("a user_id that is an email joins the existing account with that email instead of making another", async () => {
    const rows = tutorialRows();
    const grace = rows.users[2].user_id;
    const existing = await db.user.create({ data: { email: grace.toLowerCase(), name: "Existing Grace" } });

    const summary = await importLegacy({ from: createTutorialSqlite(rows) });

    expect(summary).toMatchObject({ usersCreated: 2, usersMatched: 1, keysImported: 3 });
    const result = await verifyApiKey(rows.secrets.grace);
    expect(result.ok && result.key.owner).toMatchObject({ id: existing.id, name: "Existing Grace" });
  });

  it("a path that is not a tutorial database is refused with a clear message", async () => {
    await expect(importLegacy({ from: "/nonexistent/tutorial.db" })).rejects.toThrow(/No SQLite file at/);
    const { mkdtempSync } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const Database = (await import("better-sqlite3")).default;
    const empty = path.join(mkdtempSync(path.join(os.tmpdir(), "keyport-empty-")), "empty.db");
    new Database(empty).close();
    await expect(importLegacy({ from: empty })).rejects.toThrow(/does not hold the tutorial's users and user_api_keys tables/);
  });
});

describe("placeholderEmailFor", () => {
  it("keeps a real email, and gives other user_ids a stable, valid, distinct address at the placeholder domain", () => {
    expect(placeholderEmailFor(" Grace@Example.com")).toBe("grace@example.com");
    expect(placeholderEmailFor("alice")).toBe(`alice@${LEGACY_EMAIL_DOMAIN}`);
    expect(placeholderEmailFor("Bob")).not.toBe(placeholderEmailFor("bob"));
    expect(placeholderEmailFor("Bob")).toBe(placeholderEmailFor("Bob"));
    expect(placeholderEmailFor("Bob")).toMatch(new RegExp(`^bob-[0-9a-f]{10}@${LEGACY_EMAIL_DOMAIN.replaceAll(".", "\\.")}$`));
    for (const odd of ["", "...", "a b/c", "ünïcødé", "x".repeat(300), "-.-", "a..b", "user@corp"]) {
      const email = placeholderEmailFor(odd);
      expect(emailSchema.safeParse(email).success, `${JSON.stringify(odd)} gave ${email}`).toBe(true);
      expect(email.endsWith(`@${LEGACY_EMAIL_DOMAIN}`)).toBe(true);
    }
  });
});

// The PostgreSQL reader runs in the PostgreSQL suite (TEST_DATABASE_URL=postgresql://…),
// where a server is there to hold the tutorial's tables.
const postgresUrl = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined;

describe.runIf(postgresUrl)("importLegacy from the tutorial's PostgreSQL database", () => {
  it("reads the tutorial's tables through a postgresql:// URL and imports the same way", async () => {
    const rows = tutorialRows();
    const schema = `tutorial_${Date.now()}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.query(`SET search_path TO ${schema}`);
      await admin.query(TUTORIAL_POSTGRES_DDL);
      for (const user of rows.users) {
        await admin.query("INSERT INTO users (id, user_id, first_name, last_name, created_at) VALUES ($1, $2, $3, $4, $5)", [
          user.id, user.user_id, user.first_name, user.last_name, user.created_at,
        ]);
      }
      await admin.query("ALTER TABLE user_api_keys DROP CONSTRAINT user_api_keys_user_id_fkey"); // to hold the orphan row
      for (const key of rows.keys) {
        await admin.query("INSERT INTO user_api_keys (id, user_id, secret_key, created_at) VALUES ($1, $2, $3, $4)", [key.id, key.user_id, key.secret_key, key.created_at]);
      }
      const url = new URL(postgresUrl!);
      url.searchParams.set("options", `-c search_path=${schema}`);

      const summary = await importLegacy({ from: url.toString() });

      expect(summary).toEqual({ dryRun: false, usersCreated: 3, usersMatched: 0, keysImported: 3, keysSkipped: expectedSkips });
      expect((await callMe(rows.secrets.bob)).status).toBe(200);
      expect((await writtenFor(rows)).keys.map((key) => key.createdAt.toISOString())).toContain("2024-03-05T14:30:00.123Z");
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});
