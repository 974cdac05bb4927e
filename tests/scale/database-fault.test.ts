import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createTestKey, createTestUser } from "../helpers/factories";
import { callMe, freePort, type Instance, startInstance, waitFor } from "./instances";

/**
 * A TCP proxy in front of PostgreSQL that the test can turn into a black hole: connections
 * stay open but nothing comes back, the way a database behind a dead network link behaves.
 */
function startBlackholeProxy(listenPort: number, target: { host: string; port: number }) {
  let blackhole = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    if (blackhole) return; // Accept and say nothing.
    const upstream = net.connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("data", (data) => !blackhole && upstream.write(data));
    upstream.on("data", (data) => !blackhole && client.write(data));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  server.listen(listenPort, "127.0.0.1");
  return {
    setBlackhole(on: boolean) {
      blackhole = on;
      // Connections that lost bytes are unusable: end them so the pool opens fresh ones.
      if (!on) for (const socket of sockets) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

let instance: Instance | undefined;
let proxy: ReturnType<typeof startBlackholeProxy> | undefined;

afterAll(async () => {
  await instance?.stop();
  await proxy?.close();
});

describe("scale-out: the database stops answering", () => {
  it("/api/v1 answers a JSON 503 within the bound instead of hanging, and recovers by itself", async () => {
    const databaseUrl = new URL(process.env.DATABASE_URL!);
    const port = await freePort();
    proxy = startBlackholeProxy(port, { host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) });
    const viaProxy = new URL(databaseUrl);
    viaProxy.port = String(port);
    instance = await startInstance("D", { DATABASE_URL: viaProxy.toString(), KEY_CACHE_TTL_MS: "1000" });

    const user = await createTestUser();
    const cached = await createTestKey(user.id);
    const uncached = await createTestKey(user.id);
    expect((await callMe(instance, cached.secret)).status).toBe(200);

    proxy.setBlackhole(true);
    const started = Date.now();
    const during = await callMe(instance, uncached.secret);
    const elapsed = Date.now() - started;
    if (during.status !== 503) console.log(instance.logs.slice(-40).join("\n"));
    expect(during.status).toBe(503);
    expect(during.code).toBe("unavailable");
    expect(during.headers.get("retry-after")).toBeTruthy();
    expect(elapsed).toBeLessThan(8_000);
    const health = await fetch(`${instance.url}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: "degraded", database: "unreachable" });

    proxy.setBlackhole(false);
    await waitFor(async () => (await callMe(instance!, uncached.secret)).status === 200, 20_000, "recovery");
    expect((await callMe(instance, cached.secret)).status).toBe(200);
    expect(instance.logs.filter((line) => /unhandled error/.test(line))).toEqual([]);
  });
});
