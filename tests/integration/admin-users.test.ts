import { beforeAll, describe, expect, it, vi } from "vitest";

// "The last admin" is a fact about the whole database, so this file has one of its own.
const databaseUrl = await vi.hoisted(async () => (await import("../fixtures/fresh-database")).useFreshDatabase("admin-users"));

import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { createUser, findUserByEmail, generatePassword, setUserDisabled, setUserRole } from "@/lib/admin/manage-users";
import { listUsers } from "@/lib/admin/list-users";
import { db } from "@/lib/db";
import { verifyPassword } from "@/lib/passwords";
import { migrateDatabase } from "@/scripts/migrate-database";
import { createTestKey, createTestUser } from "../helpers/factories";

const admin = { actorId: null, ip: "127.0.0.1", userAgent: "vitest" };

beforeAll(async () => {
  await migrateDatabase(databaseUrl);
});

async function actionsFor(userId: string) {
  const events = await db.auditEvent.findMany({ where: { targetUserId: userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return events.map((event) => event.action);
}

describe("setUserDisabled", () => {
  it("disabling a user refuses their cached keys at once with owner_disabled, and is audited", async () => {
    expect(process.env.DATABASE_URL).toBe(databaseUrl);
    const user = await createTestUser();
    const { secret } = await createTestKey(user.id);
    expect((await verifyApiKey(secret)).ok).toBe(true); // now cached

    const disabled = await setUserDisabled({ userId: user.id, disabled: true }, admin);

    expect(disabled.disabledAt).toBeInstanceOf(Date);
    expect(await verifyApiKey(secret)).toMatchObject({ ok: false, reason: "owner_disabled" });
    expect(await actionsFor(user.id)).toContain("user.disabled");
  });

  it("enabling a user makes their keys work again, but a key revoked meanwhile stays revoked", async () => {
    const user = await createTestUser();
    const kept = await createTestKey(user.id);
    const revoked = await createTestKey(user.id);
    await setUserDisabled({ userId: user.id, disabled: true }, admin);
    await revokeApiKey({ keyId: revoked.key.id, reason: "leaked while disabled" }, admin);
    expect(await verifyApiKey(kept.secret)).toMatchObject({ ok: false, reason: "owner_disabled" });

    const enabled = await setUserDisabled({ userId: user.id, disabled: false }, admin);

    expect(enabled.disabledAt).toBeNull();
    expect((await verifyApiKey(kept.secret)).ok).toBe(true);
    expect(await verifyApiKey(revoked.secret)).toMatchObject({ ok: false, reason: "revoked" });
    expect(await actionsFor(user.id)).toEqual(["key.created", "key.created", "user.disabled", "key.revoked", "user.enabled"]);
  });

  it("disabling an already disabled user is refused rather than audited twice", async () => {
    const user = await createTestUser();
    await setUserDisabled({ userId: user.id, disabled: true }, admin);
    await expect(setUserDisabled({ userId: user.id, disabled: true }, admin)).rejects.toMatchObject({ code: "invalid_state" });
    await expect(setUserDisabled({ userId: "no-such-user", disabled: true }, admin)).rejects.toMatchObject({ code: "not_found" });
    expect(await actionsFor(user.id)).toEqual(["user.disabled"]);
  });
});

describe("setUserRole", () => {
  it("the last enabled admin can be neither demoted nor disabled; with a second admin both work", async () => {
    await db.user.updateMany({ where: { role: "ADMIN" }, data: { role: "USER" } });
    const first = await createTestUser({ role: "ADMIN" });

    await expect(setUserRole({ userId: first.id, role: "USER" }, admin)).rejects.toThrow(/last enabled admin/);
    await expect(setUserDisabled({ userId: first.id, disabled: true }, admin)).rejects.toThrow(/last enabled admin/);
    expect((await db.user.findUniqueOrThrow({ where: { id: first.id } })).role).toBe("ADMIN");

    const second = await createTestUser();
    await setUserRole({ userId: second.id, role: "ADMIN" }, admin);
    const demoted = await setUserRole({ userId: first.id, role: "USER" }, admin);

    expect(demoted.role).toBe("USER");
    expect(await actionsFor(first.id)).toEqual(["user.demoted"]);
    expect(await actionsFor(second.id)).toEqual(["user.promoted"]);
    await expect(setUserRole({ userId: second.id, role: "USER" }, admin)).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("a disabled admin does not count as the admin who keeps the console reachable, and needs none to be demoted", async () => {
    await db.user.updateMany({ where: { role: "ADMIN" }, data: { role: "USER" } });
    const disabledAdmin = () => db.user.create({ data: { email: `disabled-admin-${Date.now()}@example.test`, role: "ADMIN", disabledAt: new Date() } });

    // With no enabled admin at all, demoting a disabled one takes no access away.
    const dormant = await disabledAdmin();
    expect((await setUserRole({ userId: dormant.id, role: "USER" }, admin)).role).toBe("USER");

    const active = await createTestUser({ role: "ADMIN" });
    await disabledAdmin();
    await expect(setUserRole({ userId: active.id, role: "USER" }, admin)).rejects.toThrow(/last enabled admin/);
  });
});

describe("createUser and findUserByEmail", () => {
  it("stores the email lower-cased and the password as a bcrypt hash, and audits user.created", async () => {
    const password = generatePassword();
    const user = await createUser({ email: "  New.Person@Example.COM ", name: " New Person ", password, role: "ADMIN" }, admin);

    expect(user).toMatchObject({ email: "new.person@example.com", name: "New Person", role: "ADMIN" });
    expect(user).not.toHaveProperty("passwordHash");
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).not.toContain(password);
    expect(await verifyPassword(password, row.passwordHash)).toBe(true);
    expect(await actionsFor(user.id)).toEqual(["user.created"]);
    expect(await findUserByEmail("NEW.PERSON@example.com ")).toMatchObject({ id: user.id });
    expect(await findUserByEmail("NEW.PERSON@example.com ")).not.toHaveProperty("passwordHash");
  });

  it("refuses a duplicate email, an invalid email and a weak password, saying which", async () => {
    await createUser({ email: "taken@example.com", password: generatePassword(), role: "USER" }, admin);
    await expect(createUser({ email: "Taken@example.com", password: generatePassword(), role: "USER" }, admin)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("taken@example.com"),
    });
    await expect(createUser({ email: "not an email", password: generatePassword(), role: "USER" }, admin)).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { email: [expect.any(String)] },
    });
    await expect(createUser({ email: "weak@example.com", password: "password123", role: "USER" }, admin)).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/too common/),
    });
    expect(await findUserByEmail("weak@example.com")).toBeNull();
  });
});

describe("listUsers", () => {
  it("pages return each user exactly once, newest first, including users created in the same millisecond", async () => {
    const createdAt = new Date("2030-01-01T00:00:00.000Z");
    await db.user.createMany({
      data: Array.from({ length: 7 }, (_, i) => ({ email: `page-${i}@paging.test`, name: `Paging ${i}`, createdAt })),
    });
    await db.user.create({ data: { email: "page-newest@paging.test", createdAt: new Date("2030-01-02T00:00:00.000Z") } });

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listUsers({ search: "@paging.test", take: 3, cursor });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((user) => user.email));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);

    expect(pages).toBe(3);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(seen[0]).toBe("page-newest@paging.test");
  });

  it("counts active and all keys and reports the latest key use", async () => {
    const user = await createTestUser({ name: "Counted Person" });
    const used = await createTestKey(user.id);
    const revoked = await createTestKey(user.id);
    await createTestKey(user.id, { expiresAt: new Date(Date.now() - 1_000) });
    await revokeApiKey({ keyId: revoked.key.id }, admin);
    const lastUsedAt = new Date("2029-06-01T12:00:00.000Z");
    await db.apiKey.update({ where: { id: used.key.id }, data: { lastUsedAt } });

    const [row] = (await listUsers({ search: user.email })).items;

    expect(row).toMatchObject({ id: user.id, activeKeyCount: 1, totalKeyCount: 3, lastActivityAt: lastUsedAt, disabledAt: null, role: "USER" });
    expect(row).not.toHaveProperty("passwordHash");
  });

  it("search matches the email or name in any case, and an underscore matches only itself", async () => {
    await db.user.create({ data: { email: "under_score@search.test", name: "Mixed CASE Name" } });
    await db.user.create({ data: { email: "underXscore@search.test", name: "Other" } });

    expect((await listUsers({ search: "UNDER_SCORE" })).items.map((user) => user.email)).toEqual(["under_score@search.test"]);
    expect((await listUsers({ search: "mixed case" })).items.map((user) => user.email)).toEqual(["under_score@search.test"]);
    expect((await listUsers({ search: "score@search.test" })).items).toHaveLength(2);
  });

  it("a cursor that no longer exists is refused with a clear message", async () => {
    await expect(listUsers({ cursor: "gone" })).rejects.toThrow(/no longer valid/);
  });
});
