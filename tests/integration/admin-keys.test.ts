import { describe, expect, it } from "vitest";
import { findKeyByIdOrStart, KEY_STATUSES, listAllKeys } from "@/lib/admin/list-keys";
import { EXPIRING_SOON_MS, keyStatus } from "@/lib/api-keys/key-status";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { db } from "@/lib/db";
import { createTestKey, createTestUser } from "../helpers/factories";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Every page of a listing, followed to the end. */
async function allPages(list: (cursor: string | undefined) => Promise<{ items: { id: string }[]; nextCursor: string | null }>) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

describe("listAllKeys", () => {
  it("each status filter returns exactly the keys keyStatus() gives that status", async () => {
    const user = await createTestUser();
    const now = Date.now();
    const ids = {
      active: (await createTestKey(user.id)).key.id,
      activeFarExpiry: (await createTestKey(user.id, { expiresAt: new Date(now + 30 * DAY) })).key.id,
      expiringSoon: (await createTestKey(user.id, { expiresAt: new Date(now + 2 * DAY) })).key.id,
      expired: (await createTestKey(user.id, { expiresAt: new Date(now - HOUR) })).key.id,
      inGrace: (await createTestKey(user.id)).key.id,
      inGraceExpiringSoon: (await createTestKey(user.id, { expiresAt: new Date(now + DAY) })).key.id,
      graceOver: (await createTestKey(user.id)).key.id,
      expiredInGrace: (await createTestKey(user.id, { expiresAt: new Date(now - HOUR) })).key.id,
      revoked: (await createTestKey(user.id)).key.id,
      revokedAndExpired: (await createTestKey(user.id, { expiresAt: new Date(now - HOUR) })).key.id,
    };
    await db.apiKey.updateMany({
      where: { id: { in: [ids.inGrace, ids.inGraceExpiringSoon, ids.expiredInGrace] } },
      data: { graceEndsAt: new Date(now + HOUR) },
    });
    await db.apiKey.update({ where: { id: ids.graceOver }, data: { graceEndsAt: new Date(now - HOUR) } });
    await revokeApiKey({ keyId: ids.revoked }, { actorId: null });
    await revokeApiKey({ keyId: ids.revokedAndExpired }, { actorId: null });

    const rows = await db.apiKey.findMany({ where: { ownerId: user.id } });
    const found: Record<string, string[]> = {};
    for (const status of KEY_STATUSES) {
      const expected = rows.filter((row) => keyStatus(row) === status).map((row) => row.id).sort();
      const listed = (await listAllKeys({ ownerEmail: user.email, status })).items;
      expect(listed.map((key) => key.id).sort(), status).toEqual(expected);
      expect(listed.every((key) => key.status === status)).toBe(true);
      found[status] = listed.map((key) => key.id).sort();
    }
    // The fixture really covers every status, so no filter passes by being empty.
    expect(found).toEqual({
      active: [ids.active, ids.activeFarExpiry].sort(),
      expiring_soon: [ids.expiringSoon],
      in_grace: [ids.inGrace, ids.inGraceExpiringSoon].sort(),
      expired: [ids.expired, ids.graceOver, ids.expiredInGrace].sort(),
      revoked: [ids.revoked, ids.revokedAndExpired].sort(),
    });
    expect(EXPIRING_SOON_MS).toBeGreaterThan(2 * DAY);
  });

  it("never returns the key hash, and shows the owner's email and parsed scopes", async () => {
    const user = await createTestUser();
    const { key } = await createTestKey(user.id, { scopes: ["me:read", "keys:read"] });
    const [listed] = (await listAllKeys({ ownerEmail: user.email.toUpperCase() })).items;
    expect(listed).toMatchObject({ id: key.id, owner: { email: user.email }, scopes: ["keys:read", "me:read"], status: "active" });
    expect(listed).not.toHaveProperty("keyHash");
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(JSON.stringify(listed)).not.toContain(row.keyHash);
  });

  it("pages return each key exactly once, newest first, even when keys share a createdAt", async () => {
    const user = await createTestUser();
    const createdAt = new Date(Date.now() - DAY);
    await db.apiKey.createMany({
      data: Array.from({ length: 7 }, (_, i) => ({
        ownerId: user.id,
        name: `bulk ${i}`,
        environment: "live" as const,
        scopes: "me:read",
        keyHash: `paging-${user.id}-${i}`,
        start: "kp_live_page",
        createdAt,
      })),
    });
    const newest = (await createTestKey(user.id, { environment: "live" })).key.id;
    await createTestKey(user.id, { environment: "test" });

    const ids = await allPages(async (cursor) => listAllKeys({ ownerEmail: user.email, environment: "live", take: 3, cursor }));

    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(8);
    expect(ids[0]).toBe(newest);
  });

  it("search finds a key by part of its name or its start, in any case; an unknown owner finds nothing", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id, { name: "Billing Worker" });
    await createTestKey(user.id, { name: "billing_other" });
    await createTestKey(user.id, { name: "billingXother" });

    expect((await listAllKeys({ ownerEmail: user.email, search: "BILLING w" })).items.map((k) => k.id)).toEqual([key.id]);
    expect((await listAllKeys({ ownerEmail: user.email, search: secret.slice(0, 12) })).items.map((k) => k.id)).toEqual([key.id]);
    expect((await listAllKeys({ ownerEmail: user.email, search: "billing_" })).items.map((k) => k.name)).toEqual(["billing_other"]);
    expect(await listAllKeys({ ownerEmail: "nobody@nowhere.test" })).toEqual({ items: [], nextCursor: null });
  });
});

describe("findKeyByIdOrStart", () => {
  it("finds a key by id or by an unambiguous start, and never returns the hash", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    expect(await findKeyByIdOrStart(key.id)).toMatchObject({ id: key.id, status: "active", owner: { email: user.email } });
    const byStart = await findKeyByIdOrStart(` ${secret.slice(0, 12)} `);
    expect(byStart.id).toBe(key.id);
    expect(byStart).not.toHaveProperty("keyHash");
  });

  it("refuses a start shared by several keys, listing each of them", async () => {
    const user = await createTestUser();
    const start = `kp_test_${user.id.slice(-4)}`;
    await db.apiKey.createMany({
      data: [1, 2].map((i) => ({ ownerId: user.id, name: `twin ${i}`, environment: "test" as const, scopes: "me:read", keyHash: `twin-${user.id}-${i}`, start })),
    });
    const twins = await db.apiKey.findMany({ where: { start } });

    const refusal = findKeyByIdOrStart(start);

    await expect(refusal).rejects.toMatchObject({ code: "ambiguous" });
    const message = await refusal.catch((error: Error) => error.message);
    expect(message).toContain(`2 keys start with "${start}"`);
    for (const twin of twins) expect(message).toContain(twin.id);
    await expect(findKeyByIdOrStart("kp_test_none")).rejects.toMatchObject({ code: "not_found" });
  });
});
