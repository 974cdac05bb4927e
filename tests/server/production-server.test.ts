import net from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// A SQLite file of this test's own, shared by this process, the CLI and the servers it starts.
const databaseUrl = await vi.hoisted(async () => (await import("../fixtures/fresh-database")).useFreshDatabase("production-server"));

import { db } from "@/lib/db";
import { migrateDatabase } from "@/scripts/migrate-database";
import { startCli } from "../fixtures/cli";
import { hostileCredentials, problemWith, unsendableHeaderValues } from "../fixtures/hostile-corpus";
import { requireProductionBuild } from "../fixtures/production-build";
import { rawRequest, sendRaw } from "../fixtures/raw-http";
import { createTestKey, createTestUser } from "../helpers/factories";
import { callMe, type Instance, startInstance, waitFor } from "../scale/instances";

// What only a real `npm start` server (scripts/serve.mjs on the production build) can show.
requireProductionBuild("/api/v1/me/route");

const servers: Instance[] = [];
async function startServer(env: Record<string, string> = {}) {
  const server = await startInstance(`server-${servers.length + 1}`, { DATABASE_URL: databaseUrl, REDIS_URL: "", ...env });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  await migrateDatabase(databaseUrl);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

describe("the production server (embedded mode)", () => {
  it("SIGTERM right after a burst of requests still stores every request's usage count and the key's lastUsedAt, even with a client holding a connection open", async () => {
    const owner = await createTestUser();
    const { key, secret } = await createTestKey(owner.id);
    const server = await startServer();

    const statuses = await Promise.all(Array.from({ length: 25 }, () => callMe(server, secret).then((call) => call.status)));
    expect(statuses.every((status) => status === 200)).toBe(true);
    // A client that sends half a request body and waits: its request is in flight, so the
    // server cannot close the connection as idle, and must not wait for it forever.
    const writer = await createTestKey(owner.id, { scopes: ["keys:write"] });
    const holder = net.connect(Number(new URL(server.url).port), "127.0.0.1", () =>
      holder.write(`POST /api/v1/keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${writer.secret}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`),
    );
    holder.on("error", () => undefined);
    await new Promise((resolve) => holder.once("connect", resolve));
    // At once: well inside the 1 s and 2 s the server waits before writing its buffers.
    const stopping = Date.now();
    await server.stop();
    holder.destroy();
    expect(Date.now() - stopping).toBeLessThan(12_000);

    const usage = await db.keyUsage.aggregate({ where: { keyId: key.id }, _sum: { success: true } });
    expect(usage._sum.success).toBe(25);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toBeInstanceOf(Date);
    expect(server.logs.filter((line) => /error|warn/i.test(line))).toEqual([]);
  });

  it("a key revoked by the CLI (another process, no Redis) is refused by a running server within KEY_CACHE_TTL_MS", async () => {
    const ttlMs = 3_000;
    // The key exists before the server starts, as in the test above: created while the new
    // server was writing to the same SQLite file, its transaction (reads, then a write) failed
    // with SQLITE_BUSY ("Operation has timed out"). cachedAt is still taken just before the call.
    const owner = await createTestUser();
    const { key, secret } = await createTestKey(owner.id);
    const server = await startServer({ KEY_CACHE_TTL_MS: String(ttlMs) });
    const cachedAt = Date.now();
    expect((await callMe(server, secret)).status).toBe(200);

    const revoke = await startCli(databaseUrl, ["keys", "revoke", key.id, "--reason", "rotated out by the operator"]).done;
    expect(revoke.code, revoke.stderr).toBe(0);
    await waitFor(async () => (await callMe(server, secret)).status === 401, ttlMs + 5_000, "the server to refuse the revoked key");
    expect(Date.now() - cachedAt).toBeLessThanOrEqual(ttlMs + 1_000);
  });

  it("with an https:// NEXTAUTH_URL, next-auth's cookies are Secure and carry the __Host- / __Secure- prefixes", async () => {
    // Plain http to the process itself, as a TLS-terminating proxy in front of it would speak.
    const server = await startServer({ NEXTAUTH_URL: "https://keyport.example.test" });
    const response = await fetch(`${server.url}/api/auth/csrf`);
    expect(response.status).toBe(200);
    const cookies = response.headers.getSetCookie();
    const csrf = cookies.find((cookie) => cookie.startsWith("__Host-next-auth.csrf-token="));
    expect(csrf, cookies.join("\n")).toBeDefined();
    expect(csrf).toMatch(/;\s*Secure/i);
    expect(csrf).toMatch(/;\s*HttpOnly/i);
    expect(csrf).toMatch(/;\s*SameSite=Lax/i);
    expect(cookies.find((cookie) => cookie.startsWith("__Secure-next-auth.callback-url="))).toMatch(/;\s*Secure/i);
  });

  it("over HTTP, every credential in the hostile corpus, and every header Node's parser refuses, gets the documented JSON 4xx; valid keys keep working", async () => {
    const server = await startServer();
    const owner = await createTestUser();
    const [{ secret: valid }, { secret: other }] = await Promise.all([
      createTestKey(owner.id, { scopes: ["me:read", "keys:read"] }),
      createTestKey(owner.id, { scopes: ["me:read"] }),
    ]);
    await db.apiKey.updateMany({ where: { ownerId: owner.id }, data: { rateLimitPerMinute: 1_000_000 } });
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    const judge = async (label: string, response: Response, presented: string[], codes: readonly string[]) => {
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const problem = await problemWith(response, presented, { codes });
      if (problem) problems.push(`${label}: ${problem}`);
    };

    // Sent as bytes, the corpus's non-latin1 cases arrive as Node reads them; headers past
    // Node's 16 KB limit are refused before Keyport sees them.
    const refusals = ["missing_key", "malformed_key", "unknown_key", "headers_too_large"];
    for (const path of ["/api/v1/me", "/api/v1/keys"]) {
      for (const hostile of hostileCredentials(valid, other)) {
        const response = await rawRequest(`${server.url}${path}`, "GET", hostile.headers);
        await judge(`GET ${path} — ${hostile.name}`, response, hostile.headers.map(([, value]) => value), refusals);
      }
    }
    // What fetch() cannot send: NUL, other control characters and non-latin1 bytes in a
    // credential header, raw. (CR and LF end the line on the wire: what follows is another
    // header, or a broken request as in the parser cases below.)
    for (const [name, value] of unsendableHeaderValues(valid).filter(([, value]) => !/[\r\n]/.test(value))) {
      const response = await rawRequest(`${server.url}/api/v1/me`, "GET", [["authorization", Buffer.from(value, "utf8").toString("latin1")]]);
      await judge(`GET /api/v1/me — ${name}`, response, [value], ["malformed_key"]);
    }
    // Requests Node's HTTP parser refuses before any handler runs.
    for (const [name, request] of [
      ["a request line that is not HTTP", "HELLO\r\n\r\n"],
      ["a header name with a space", "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX Api Key: x\r\n\r\n"],
      ["a bare LF between headers", "GET /api/v1/me HTTP/1.1\nHost: x\nAuthorization: Bearer x\n\n"],
      ["a broken chunk", "POST /api/v1/keys HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"],
      ["Content-Length and Transfer-Encoding both", "POST /api/v1/keys HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"],
    ] as const) {
      await judge(name, await sendRaw(server.url, request), [], ["bad_request"]);
    }

    expect(problems).toEqual([]);
    expect(statuses.get(401)).toBeGreaterThanOrEqual(400);
    expect(statuses.get(400)).toBeGreaterThanOrEqual(5);
    expect(statuses.get(431)).toBeGreaterThanOrEqual(1);
    expect([...statuses.keys()].every((status) => status >= 400 && status < 500)).toBe(true);
    expect((await callMe(server, valid)).status).toBe(200);
    expect(server.logs.filter((line) => /error|warn/i.test(line))).toEqual([]);
  });
});
