import { describe, expect, it } from "vitest";
import { listKeysPageForOwner } from "@/lib/api-keys/list-api-keys";
import { keyStatus } from "@/lib/api-keys/key-status";
import { rollApiKey, rolledKeyName } from "@/lib/api-keys/roll-api-key";
import { db } from "@/lib/db";
import { createTestUser } from "../helpers/factories";

const DAY = 86_400_000;

/** 60 keys of one owner straight into the table: 30 active, 10 expiring soon, 10 revoked, 10 expired. */
async function seedOwner(now: Date) {
  const user = await createTestUser();
  const at = now.getTime();
  await db.apiKey.createMany({
    data: Array.from({ length: 60 }, (_, i) => {
      const kind = i < 30 ? "active" : i < 40 ? "soon" : i < 50 ? "revoked" : "expired";
      return {
        ownerId: user.id,
        name: `${kind} ${i}`,
        environment: i % 2 ? ("live" as const) : ("test" as const),
        scopes: "me:read",
        keyHash: `list-${user.id}-${i}`,
        start: `kp_test_${String(i).padStart(4, "0")}`,
        createdAt: new Date(at - (60 - i) * 1000),
        expiresAt: kind === "soon" ? new Date(at + 2 * DAY) : kind === "expired" ? new Date(at - DAY) : null,
        revokedAt: kind === "revoked" ? new Date(at - DAY) : null,
      };
    }),
  });
  return user;
}

describe("listKeysPageForOwner", () => {
  it("hides revoked and expired keys by default but counts them, pages in the database with no cap, and filters by the key policy's statuses", async () => {
    const now = new Date();
    const user = await seedOwner(now);
    const first = await listKeysPageForOwner(user.id, { pageSize: 20 }, now);
    expect(first).toMatchObject({ total: 40, all: 60, hiddenEnded: 20, page: 1, pageCount: 2 });
    expect(first.keys).toHaveLength(20);
    expect(first.keys[0].name).toBe("soon 39"); // newest first
    const second = await listKeysPageForOwner(user.id, { pageSize: 20, page: 2 }, now);
    expect(second.keys.map((key) => key.id)).not.toContain(first.keys[0].id);
    expect(new Set([...first.keys, ...second.keys].map((key) => key.id)).size).toBe(40);
    // Past the end: the last page.
    expect((await listKeysPageForOwner(user.id, { pageSize: 20, page: 9 }, now)).page).toBe(2);

    const everything = await listKeysPageForOwner(user.id, { includeEnded: true, pageSize: 100 }, now);
    expect(everything.total).toBe(60);
    expect(everything.hiddenEnded).toBe(0);

    for (const status of ["active", "expiring_soon", "revoked", "expired"] as const) {
      const page = await listKeysPageForOwner(user.id, { status, pageSize: 100 }, now);
      expect(page.total, status).toBe(10 * (status === "active" ? 3 : 1));
      // Exactly the keys with that badge: the where clause and keyStatus() agree.
      expect(page.keys.every((key) => keyStatus(key, now) === status), status).toBe(true);
    }
    const live = await listKeysPageForOwner(user.id, { environment: "live", pageSize: 100 }, now);
    expect(live.total).toBe(20);
    expect(live.keys.every((key) => key.environment === "live")).toBe(true);
  });

  it("searches the name or the start, case-insensitively, and only the owner's keys", async () => {
    const now = new Date();
    const user = await seedOwner(now);
    const other = await seedOwner(now);
    expect((await listKeysPageForOwner(user.id, { search: "ACTIVE 7" }, now)).keys.map((key) => key.name)).toEqual(["active 7"]);
    const byStart = await listKeysPageForOwner(user.id, { search: "kp_test_0012" }, now);
    expect(byStart.keys.map((key) => key.name)).toEqual(["active 12"]);
    expect(byStart.keys[0].ownerId).toBe(user.id);
    expect((await listKeysPageForOwner(other.id, { search: "kp_test_0012" }, now)).keys[0].ownerId).toBe(other.id);
    // LIKE's wildcards are plain characters to the user.
    expect((await listKeysPageForOwner(user.id, { search: "active_1" }, now)).total).toBe(0);
  });
});

describe("rolledKeyName", () => {
  it("adds the roll's date, replaces an earlier one rather than stacking, and stays within 64 characters", () => {
    const now = new Date("2026-12-04T10:00:00Z");
    expect(rolledKeyName("billing", now)).toBe("billing (rolled 2026-12-04)");
    expect(rolledKeyName("billing (rolled 2026-01-02)", now)).toBe("billing (rolled 2026-12-04)");
    const long = rolledKeyName("x".repeat(64), now);
    expect(long).toHaveLength(64);
    expect(long.endsWith(" (rolled 2026-12-04)")).toBe(true);
  });

  it("a roll asked to name the new key so does; without it the old name is kept", async () => {
    const user = await createTestUser();
    const make = (name: string) =>
      db.apiKey.create({ data: { ownerId: user.id, name, environment: "test", scopes: "me:read", keyHash: `roll-${user.id}-${name}`, start: "kp_test_roll" } });
    const a = await make("billing");
    const named = await rollApiKey({ keyId: a.id, ownerId: user.id, graceMs: 0, nameAsRolled: true }, { actorId: user.id });
    expect(named.key.name).toBe(`billing (rolled ${new Date().toISOString().slice(0, 10)})`);
    const b = await make("worker");
    const kept = await rollApiKey({ keyId: b.id, ownerId: user.id, graceMs: 0 }, { actorId: user.id });
    expect(kept.key.name).toBe("worker");
  });
});
