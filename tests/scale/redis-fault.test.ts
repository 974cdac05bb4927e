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
  await instance?.stop();
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
