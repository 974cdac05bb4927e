import { describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/v1/me/route";
import { GET as usageRoute } from "@/app/api/v1/keys/[id]/usage/route";
import { UsageSchema } from "@/lib/api/schemas";
import { rollApiKey } from "@/lib/api-keys/roll-api-key";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { db } from "@/lib/db";
import { flushUsage, recordUsage } from "@/lib/usage/usage-recorder";
import { requestsLast24h } from "@/lib/usage/read-usage";
import { createTestKey, createTestUser } from "../helpers/factories";

const context = { params: Promise.resolve({}) };
const call = (secret: string) => me(new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${secret}` } }), context);

describe("usage analytics", () => {
  it("counts equal the requests made, by outcome, written in one batch rather than per request", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    const noScope = await createTestKey(user.id, { scopes: ["keys:read"] });
    await db.apiKey.update({ where: { id: key.id }, data: { rateLimitPerMinute: 7 } });

    for (let i = 0; i < 10; i++) await call(secret); // 7 succeed, 3 are rate limited
    for (let i = 0; i < 4; i++) await call(noScope.secret); // 403 insufficient_scope
    await flushUsage();
    // One row per key and hour, however many requests: counts are batched, not written per request.
    expect(await db.keyUsage.count({ where: { keyId: key.id } })).toBe(1);

    const [row] = await db.keyUsage.findMany({ where: { keyId: key.id } });
    expect(row).toMatchObject({ success: 7, rateLimited: 3, clientError: 0 });
    expect((await db.keyUsage.findFirstOrThrow({ where: { keyId: noScope.key.id } })).clientError).toBe(4);
    expect((await requestsLast24h([key.id, noScope.key.id])).get(key.id)).toBe(10);

    const reader = await createTestKey(user.id, { scopes: ["keys:read"] });
    const response = await usageRoute(new Request(`http://localhost/api/v1/keys/${key.id}/usage`, { headers: { authorization: `Bearer ${reader.secret}` } }), { params: Promise.resolve({ id: key.id }) });
    expect(response.status).toBe(200);
    const usage = UsageSchema.parse(await response.json());
    expect(usage.days).toHaveLength(30);
    expect(usage.days.at(-1)).toMatchObject({ success: 7, rateLimited: 3, clientError: 0 });
  });
});

describe("the usage flush", () => {
  it("adds to the stored counts, across more rows than one statement takes", async () => {
    const user = await createTestUser();
    const { key } = await createTestKey(user.id);
    const firstHour = Date.UTC(2026, 0, 1);
    // 1,500 hours of one key: two multi-row statements in one flush.
    for (let hour = 0; hour < 1_500; hour++) recordUsage(key.id, 200, firstHour + hour * 3_600_000);
    recordUsage(key.id, 404, firstHour);
    await flushUsage();
    // A second flush into rows that exist adds to them (what several instances do).
    recordUsage(key.id, 200, firstHour);
    recordUsage(key.id, 429, firstHour + 1_499 * 3_600_000);
    await flushUsage();

    expect(await db.keyUsage.count({ where: { keyId: key.id } })).toBe(1_500);
    expect(await db.keyUsage.findUniqueOrThrow({ where: { keyId_hour: { keyId: key.id, hour: new Date(firstHour) } } })).toMatchObject({
      success: 2,
      clientError: 1,
      rateLimited: 0,
    });
    const last = new Date(firstHour + 1_499 * 3_600_000);
    expect(await db.keyUsage.findUniqueOrThrow({ where: { keyId_hour: { keyId: key.id, hour: last } } })).toMatchObject({ success: 1, rateLimited: 1 });
    const totals = await db.keyUsage.aggregate({ where: { keyId: key.id }, _sum: { success: true } });
    expect(totals._sum.success).toBe(1_501);
  });

  it("a flush that waits behind another returns only when everything counted before it is stored", async () => {
    const user = await createTestUser();
    const { key } = await createTestKey(user.id);
    const stored = async () => (await db.keyUsage.aggregate({ where: { keyId: key.id }, _sum: { success: true } }))._sum.success ?? 0;
    recordUsage(key.id, 200);
    const first = flushUsage(); // in flight
    recordUsage(key.id, 200);
    const second = flushUsage(); // waits for the first, then writes the second count
    const third = flushUsage(); // what shutdown calls: must not return before the second is written
    await third;
    expect(await stored()).toBe(2);
    await Promise.all([first, second]);
  });

  it("a key deleted before the flush loses only its own counts", async () => {
    const user = await createTestUser();
    const kept = await createTestKey(user.id, { name: "kept" });
    const deleted = await createTestKey(user.id, { name: "deleted" });
    recordUsage(kept.key.id, 200);
    recordUsage(deleted.key.id, 200);
    // Keyport never deletes keys; an operator could, by hand, between two flushes.
    await db.apiKey.delete({ where: { id: deleted.key.id } });
    await flushUsage();
    expect((await db.keyUsage.findFirstOrThrow({ where: { keyId: kept.key.id } })).success).toBe(1);
    // Nothing is left pending to fail again: the next flush has nothing to write.
    recordUsage(kept.key.id, 200);
    await flushUsage();
    expect((await db.keyUsage.findFirstOrThrow({ where: { keyId: kept.key.id } })).success).toBe(2);
  });
});

describe("rotation that follows real use", () => {
  it("the old key's grace starts only when the new key is first used, then ends on its own", async () => {
    const user = await createTestUser();
    const { key, secret: oldSecret } = await createTestKey(user.id);
    const rolled = await rollApiKey({ keyId: key.id, graceMs: 300, startGraceOnFirstUse: true }, { actorId: user.id });
    expect(rolled.graceEndsAt).toBeNull();

    // Long after the grace length, the old key still works: its replacement is not live yet.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await verifyApiKey(oldSecret)).ok).toBe(true);

    const firstUse = Date.now();
    expect((await verifyApiKey(rolled.secret)).ok).toBe(true);
    const old = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(old.graceEndsAt!.getTime()).toBeGreaterThanOrEqual(firstUse + 300);
    expect(old.graceEndsAt!.getTime()).toBeLessThan(firstUse + 1_000);
    expect((await verifyApiKey(oldSecret)).ok).toBe(true);
    expect(await verifyApiKey(oldSecret, { now: old.graceEndsAt!.getTime() })).toMatchObject({ ok: false, reason: "expired" });

    // A second use does not move the grace end.
    await verifyApiKey(rolled.secret);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).graceEndsAt).toEqual(old.graceEndsAt);
    const events = await db.auditEvent.findMany({ where: { targetKeyId: key.id, action: "key.retirement_scheduled" } });
    expect(events).toHaveLength(1);
  });
});
