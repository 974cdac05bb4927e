import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createTestKey, createTestUser } from "../helpers/factories";
import { callMe, freePort, type Instance, startInstance, waitFor } from "./instances";

// A Redis of the test's own, so stopping it never touches the machine's service.
let redisProcess: ChildProcess | undefined;
let instance: Instance | undefined;
let pair: Instance[] = [];

function startRedis(port: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keyport-redis-"));
  redisProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: "ignore" });
  return waitFor(async () => {
    const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === "PONG";
    } finally {
      probe.disconnect();
    }
  }, 10_000, "redis-server to start");
}

function stopRedis() {
  return new Promise<void>((resolve) => {
    if (!redisProcess || redisProcess.exitCode !== null) return resolve();
    redisProcess.once("exit", () => resolve());
    redisProcess.kill("SIGKILL");
  });
}

afterAll(async () => {
  await Promise.all([instance?.stop(), ...pair.map((member) => member.stop())]);
  await stopRedis();
});

describe("scale-out: Redis goes away under traffic", () => {
  it("keeps answering with per-instance limits, warns once, and shares limits again when Redis returns", async () => {
    const port = await freePort();
    await startRedis(port);
    instance = await startInstance("R", { DATABASE_URL: process.env.DATABASE_URL!, REDIS_URL: `redis://127.0.0.1:${port}` });
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    const statuses: number[] = [];
    const send = async (count: number) => {
      for (let i = 0; i < count; i++) statuses.push((await callMe(instance!, secret)).status);
    };

    await send(20);
    const inspector = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await inspector.connect();
    const sharedKeys = await inspector.keys(`keyport:*${key.id}*`);
    expect(sharedKeys.length).toBeGreaterThan(0);
    inspector.disconnect();

    await stopRedis();
    await send(50);
    await waitFor(async () => instance!.logs.some((line) => line.includes("is unreachable")), 5_000, "the outage warning");
    await send(20);

    await startRedis(port);
    await waitFor(async () => instance!.logs.some((line) => line.includes("reachable again")), 15_000, "the instance to reconnect");
    await send(20);

    expect(statuses).toHaveLength(110);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.every((status) => status === 200)).toBe(true);
    const warnings = instance.logs.filter((line) => line.includes("is unreachable"));
    // One warning per connection (commands and the revocation subscriber), not one per request.
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings.length).toBeLessThanOrEqual(2);

    // Shared mode is back: the counter lives in the restarted Redis again.
    const after = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await after.connect();
    expect((await after.keys(`keyport:*${key.id}*`)).length).toBeGreaterThan(0);
    after.disconnect();
  });
});

describe("scale-out: a revocation while Redis is away", () => {
  const TTL_MS = 6_000;

  it("reaches the other instance within KEY_CACHE_TTL_MS, and at once when Redis returns (the cache is cleared on reconnect)", async () => {
    const port = await freePort();
    await startRedis(port);
    const settings = { DATABASE_URL: process.env.DATABASE_URL!, REDIS_URL: `redis://127.0.0.1:${port}`, KEY_CACHE_TTL_MS: String(TTL_MS) };
    pair = await Promise.all([startInstance("A", settings), startInstance("B", settings)]);
    const [a, b] = pair;
    const user = await createTestUser();
    const manager = await createTestKey(user.id, { scopes: ["keys:write"] });
    const [first, second] = await Promise.all([createTestKey(user.id, { name: "first" }), createTestKey(user.id, { name: "second" })]);
    const revokeThroughA = async (keyId: string) => {
      const response = await fetch(`${a.url}/api/v1/keys/${keyId}`, { method: "DELETE", headers: { authorization: `Bearer ${manager.secret}` } });
      expect(response.status).toBe(200);
    };
    /** Calls B until it refuses the key; returns how long after `since` that was. */
    const refusedByBAfter = async (secret: string, since: number) => {
      await waitFor(async () => (await callMe(b, secret)).status === 401, TTL_MS + 5_000, "B to refuse the revoked key");
      return Date.now() - since;
    };

    await stopRedis();
    await waitFor(async () => b.logs.some((line) => line.includes("is unreachable")), 5_000, "B to notice the outage");

    // No broadcast can reach B: it answers from its cache until the entry's TTL runs out.
    const firstCached = Date.now();
    expect((await callMe(b, first.secret)).status).toBe(200);
    await revokeThroughA(first.key.id);
    expect((await callMe(a, first.secret)).status).toBe(401);
    expect((await callMe(b, first.secret)).status).toBe(200);
    const firstRefusedAfter = await refusedByBAfter(first.secret, firstCached);
    expect(firstRefusedAfter).toBeGreaterThanOrEqual(TTL_MS - 1_000);
    expect(firstRefusedAfter).toBeLessThanOrEqual(TTL_MS + 1_000);

    // Revoked during the outage, then Redis returns: B drops its cache on reconnecting, well before the TTL.
    const secondCached = Date.now();
    expect((await callMe(b, second.secret)).status).toBe(200);
    await revokeThroughA(second.key.id);
    expect((await callMe(b, second.secret)).status).toBe(200);
    await startRedis(port);
    expect(await refusedByBAfter(second.secret, secondCached)).toBeLessThan(TTL_MS - 1_000);
  });
});
