import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTestKey, createTestUser } from "../helpers/factories";
import { callMe, type Instance, startInstance, waitFor } from "./instances";

// Two instances behind an imaginary load balancer, sharing PostgreSQL and Redis.
// A long cache TTL proves that revocation reaches B through Redis, not through expiry.
const shared = {
  DATABASE_URL: process.env.DATABASE_URL!,
  REDIS_URL: process.env.SCALE_REDIS_URL!,
  KEY_CACHE_TTL_MS: "60000",
};

let a: Instance;
let b: Instance;

beforeAll(async () => {
  [a, b] = await Promise.all([startInstance("A", shared), startInstance("B", shared)]);
}, 90_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

describe("scale-out: two instances on PostgreSQL and Redis", () => {
  it("a team suspended elsewhere has its keys refused by instance B within 1 second", async () => {
    const { createTestTeam, createTeamKey, auditAs } = await import("../helpers/teams");
    const { team, users } = await createTestTeam({ owner: "owner" });
    const { secret } = await createTeamKey(team.id, users.owner.id);
    // Both instances now hold the team key in their caches (60 s TTL).
    expect((await callMe(a, secret)).status).toBe(200);
    expect((await callMe(b, secret)).status).toBe(200);
    // This test process acts as a third instance (the console or the CLI): it joins the
    // broadcast and suspends the team through the library.
    const { startInvalidationBroadcast } = await import("@/lib/api-keys/invalidation-broadcast");
    const { isRedisReachable, redis } = await import("@/lib/redis");
    startInvalidationBroadcast();
    redis();
    await waitFor(async () => isRedisReachable(), 5_000, "the test's Redis connection");
    const { suspendTeam } = await import("@/lib/teams/manage-teams");
    await suspendTeam({ team: { teamId: team.id }, actor: { kind: "operator" }, reason: "scale test" }, auditAs(null));
    const start = Date.now();
    let result = await callMe(b, secret);
    while (result.status === 200 && Date.now() - start < 3_000) result = await callMe(b, secret);
    expect(result).toMatchObject({ status: 401, code: "team_suspended" });
    expect(Date.now() - start).toBeLessThan(1_000);
    expect((await callMe(a, secret)).code).toBe("team_suspended");
  });

  it("a key revoked through instance A is refused by instance B within 1 second", async () => {
    const user = await createTestUser();
    const target = await createTestKey(user.id);
    const manager = await createTestKey(user.id, { scopes: ["keys:write"] });
    // Both instances now hold the key in their caches.
    expect((await callMe(a, target.secret)).status).toBe(200);
    expect((await callMe(b, target.secret)).status).toBe(200);

    const revoke = await fetch(`${a.url}/api/v1/keys/${target.key.id}`, { method: "DELETE", headers: { authorization: `Bearer ${manager.secret}` } });
    expect(revoke.status).toBe(200);
    const revokedAt = Date.now();
    let refusedAfter = Number.POSITIVE_INFINITY;
    while (Date.now() - revokedAt < 3_000) {
      const result = await callMe(b, target.secret);
      if (result.status === 401) {
        expect(result.code).toBe("revoked_key");
        refusedAfter = Date.now() - revokedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refusedAfter).toBeLessThan(1_000);
  });

  it("a per-key limit of N is enforced across both instances together: N+k requests, exactly k refused", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    const N = 12;
    const k = 5;
    await db.apiKey.update({ where: { id: key.id }, data: { rateLimitPerMinute: N } });
    const statuses: number[] = [];
    for (let i = 0; i < N + k; i++) statuses.push((await callMe(i % 2 === 0 ? a : b, secret)).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(N);
    expect(statuses.filter((status) => status === 429)).toHaveLength(k);
    expect(statuses.slice(N).every((status) => status === 429)).toBe(true);
  });

  it("a disabled owner's keys stop on the other instance within 1 second", async () => {
    const user = await createTestUser();
    const { secret } = await createTestKey(user.id);
    expect((await callMe(b, secret)).status).toBe(200);
    // This test process acts as a third instance (an operator's CLI, say): it joins the
    // broadcast and disables the user through the library.
    const { startInvalidationBroadcast } = await import("@/lib/api-keys/invalidation-broadcast");
    const { isRedisReachable, redis } = await import("@/lib/redis");
    startInvalidationBroadcast();
    redis();
    await waitFor(async () => isRedisReachable(), 5_000, "the test's Redis connection");
    const { setUserDisabled } = await import("@/lib/admin/manage-users");
    await setUserDisabled({ userId: user.id, disabled: true }, { actorId: null, userAgent: "scale-test" });
    const start = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - start < 3_000) status = (await callMe(b, secret)).status;
    expect(status).toBe(401);
    expect(Date.now() - start).toBeLessThan(1_000);
  });
});
