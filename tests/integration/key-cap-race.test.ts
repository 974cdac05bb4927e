import { describe, expect, it, vi } from "vitest";

// Small caps, so the race needs only a few keys (lib/env reads them at first import).
vi.hoisted(() => {
  process.env.MAX_ACTIVE_KEYS_PER_TEAM = "3";
  process.env.MAX_ACTIVE_KEYS_PER_USER = "3";
});

// The active-key caps under keys created at the same moment. On SQLite the adapter runs one
// transaction at a time anyway; on PostgreSQL (the scale-out suite runs this file there,
// TEST_DATABASE_URL) each create counts in its own snapshot, so the count must be taken under
// a lock of the holder's row.
import { db } from "@/lib/db";
import { createTestKey, createTestUser } from "../helpers/factories";
import { createTeamKey, createTestTeam } from "../helpers/teams";

describe("MAX_ACTIVE_KEYS_PER_TEAM", () => {
  it("holds when ten members' keys are created at the same moment", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", a: "developer", b: "developer", c: "admin", d: "developer" });
    const creators = Object.values(users).map((user) => user.id);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => createTeamKey(team.id, creators[i % creators.length], { name: `burst ${i}` })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(3);
    for (const result of results) if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "limit_reached" });
    expect(await db.apiKey.count({ where: { teamId: team.id, revokedAt: null } })).toBe(3);
  });
});

describe("MAX_ACTIVE_KEYS_PER_USER", () => {
  it("holds when ten keys of one developer are created at the same moment (ten tabs, or a script)", async () => {
    const user = await createTestUser();
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => createTestKey(user.id, { name: `burst ${i}` })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(3);
    for (const result of results) if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "limit_reached" });
    expect(await db.apiKey.count({ where: { ownerId: user.id, teamId: null, revokedAt: null } })).toBe(3);
  });
});
