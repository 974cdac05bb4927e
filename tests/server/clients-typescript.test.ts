import { generateKeyPairSync, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// A SQLite file of this test's own, shared by this process and the server it starts.
const databaseUrl = await vi.hoisted(async () => (await import("../fixtures/fresh-database")).useFreshDatabase("clients-typescript"));

import { serve } from "@hono/node-server";
import express from "express";
import { Hono } from "hono";
import { GENERATED_FILES, renderRefusalsPy, renderRefusalsTs, renderTypes } from "@/scripts/clients-generate";
import { Keyport, KeyportApiError, type KeyportAuth } from "../../clients/typescript/src/index";
import { keyportExpress } from "../../clients/typescript/src/middleware/express";
import { keyportHono, type KeyportVariables } from "../../clients/typescript/src/middleware/hono";
import { withKeyport } from "../../clients/typescript/src/middleware/next";
import { startKeyportForClients } from "../fixtures/keyport-for-clients";
import { requireProductionBuild } from "../fixtures/production-build";
import { freePort } from "../scale/instances";

// @keyport/client (clients/typescript) against a real `npm start` server: every operation,
// the generated types against the document the server serves, and each middleware in a
// real Express, Hono and route-handler server.
requireProductionBuild("/api/v1/verify/route");

const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
let keyport: Awaited<ReturnType<typeof startKeyportForClients>>;
let client: Keyport;
const closers: Array<() => Promise<void>> = [];
/** Team slugs are unique: each team this file makes gets the next number. */
let slugs = 1;

beforeAll(async () => {
  keyport = await startKeyportForClients(databaseUrl, { LEAKS_PUBLIC_KEYS: JSON.stringify({ "clients-test": publicKey.export({ type: "spki", format: "pem" }) }) });
  client = new Keyport({ baseUrl: keyport.server.url, apiKey: keyport.serviceKey });
}, 120_000);

afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await keyport?.server.stop();
});

describe("the generated client matches the server", () => {
  it("the committed types are what openapi-typescript makes of the document the server serves (else: npm run clients:generate)", async () => {
    const served = (await (await fetch(`${keyport.server.url}/api/v1/openapi.json`)).json()) as Record<string, unknown>;
    expect(readFileSync(GENERATED_FILES.types, "utf8")).toBe(await renderTypes(served));
    expect(readFileSync(GENERATED_FILES.refusalsTs, "utf8")).toBe(renderRefusalsTs());
    expect(readFileSync(GENERATED_FILES.refusalsPy, "utf8")).toBe(renderRefusalsPy());
  });

  it("the client has a method for every operationId the server documents", async () => {
    const document = await client.getOpenApiDocument();
    const operationIds = Object.values(document.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((item) =>
      Object.values(item).flatMap((operation) => (operation?.operationId ? [operation.operationId] : [])),
    );
    expect(operationIds.length).toBeGreaterThanOrEqual(11);
    for (const id of operationIds) expect(typeof (client as unknown as Record<string, unknown>)[id], id).toBe("function");
  });
});

describe("every operation against the server", () => {
  it("getMe, createKey, getKey, listKeys, updateKey, getKeyUsage, rollKey, revokeKey", async () => {
    const me = await client.getMe();
    expect(me.owner.id).toBe(keyport.admin.id);
    expect(me.key.scopes).toContain("verify");

    const created = await client.createKey({ name: "from the client", environment: "test", scopes: ["me:read"], ipAllowlist: ["127.0.0.1/32"] });
    expect(created.secret).toMatch(/^kp_test_/);
    expect(created.key).toMatchObject({ name: "from the client", scopes: ["me:read"], ipAllowlist: ["127.0.0.1/32"], status: "active" });
    const id = created.key.id;

    expect(await client.getKey(id)).toEqual(created.key);
    const firstPage = await client.listKeys({ limit: 1 });
    expect(firstPage.items).toHaveLength(1);
    expect(firstPage.nextCursor).not.toBeNull();
    const all = await client.listKeys({ limit: 100 });
    expect(all.items.map((key) => key.id)).toContain(id);

    const updated = await client.updateKey(id, { name: "renamed by the client", ipAllowlist: [] });
    expect(updated).toMatchObject({ id, name: "renamed by the client", ipAllowlist: [] });

    // The new key works on its own (its usage is counted in batches, so only the shape is checked).
    expect((await new Keyport({ baseUrl: keyport.server.url, apiKey: created.secret }).getMe()).key.id).toBe(id);
    const usage = await client.getKeyUsage(id);
    expect(usage.keyId).toBe(id);
    expect(Array.isArray(usage.days)).toBe(true);

    const rolled = await client.rollKey(id, { graceSeconds: 0 });
    expect(rolled.key.rolledFromId).toBe(id);
    expect(rolled.secret).not.toBe(created.secret);
    expect((await client.verifyKey({ key: rolled.secret })).code).toBe("VALID");

    const revoked = await client.revokeKey(rolled.key.id);
    expect(revoked).toMatchObject({ id: rolled.key.id, status: "revoked" });
    expect((await client.verifyKey({ key: rolled.secret })).code).toBe("REVOKED");
  });

  it("verifyKey returns the typed verdict: VALID with owner and scopes, INSUFFICIENT_SCOPE, IP_NOT_ALLOWED, NOT_FOUND", async () => {
    const caller = await keyport.callerKey({ environment: "live", ipAllowlist: ["203.0.113.0/24"] });
    const valid = await client.verifyKey({ key: caller.secret, scopes: ["me:read"], ip: "203.0.113.7" });
    expect(valid).toMatchObject({ valid: true, code: "VALID", keyId: caller.id, owner: { id: caller.owner.id, email: caller.owner.email }, scopes: ["me:read"], environment: "live" });
    expect(valid.ratelimit).toMatchObject({ limit: expect.any(Number), remaining: expect.any(Number) });
    expect((await client.verifyKey({ key: caller.secret, scopes: ["keys:write"], ip: "203.0.113.7" })).code).toBe("INSUFFICIENT_SCOPE");
    expect((await client.verifyKey({ key: caller.secret, scopes: ["me:read"], ip: "198.51.100.1" })).code).toBe("IP_NOT_ALLOWED");
    expect((await client.verifyKey({ key: caller.secret })).code).toBe("IP_NOT_ALLOWED");
    expect((await client.verifyKey({ key: `${caller.secret.slice(0, -1)}${caller.secret.endsWith("x") ? "y" : "x"}` })).code).toBe("NOT_FOUND");
  });

  it("with a cache, a revoked key stays VALID only until the caller's TTL has passed, then is REVOKED", async () => {
    let now = 0;
    const cached = new Keyport({ baseUrl: keyport.server.url, apiKey: keyport.serviceKey, cache: { ttlMs: 5_000, now: () => now } });
    const caller = await keyport.callerKey();
    expect((await cached.verifyKey({ key: caller.secret, scopes: ["me:read"] })).code).toBe("VALID");
    await keyport.revoke(caller.id, caller.owner.id);
    expect((await client.verifyKey({ key: caller.secret, scopes: ["me:read"] })).code).toBe("REVOKED");
    now = 4_000;
    expect((await cached.verifyKey({ key: caller.secret, scopes: ["me:read"] })).code).toBe("VALID");
    now = 5_000;
    expect((await cached.verifyKey({ key: caller.secret, scopes: ["me:read"] })).code).toBe("REVOKED");
  });

  it("reportLeakedKeys sends GitHub's signed report and the reported key is revoked", async () => {
    const caller = await keyport.callerKey();
    const report = JSON.stringify([{ token: caller.secret, type: "keyport_api_key", url: "https://github.com/octo/app/blob/main/.env", source: "content" }]);
    const verdicts = await client.reportLeakedKeys(report, { identifier: "clients-test", signature: sign("sha256", Buffer.from(report), privateKey).toString("base64") });
    expect(verdicts).toEqual([expect.objectContaining({ label: "true_positive", token_type: "keyport_api_key" })]);
    expect((await client.verifyKey({ key: caller.secret })).code).toBe("REVOKED");
    await expect(client.reportLeakedKeys(report, { identifier: "clients-test", signature: "AAAA" })).rejects.toMatchObject({ status: 401, code: "invalid_signature" });
  });

  it("errors are KeyportApiError with the API's status and code", async () => {
    const notFound = await client.getKey("no-such-key").catch((error: unknown) => error);
    expect(notFound).toBeInstanceOf(KeyportApiError);
    expect(notFound).toMatchObject({ status: 404, code: "not_found" });
    await expect(client.createKey({ name: "   ", environment: "test", scopes: ["me:read"] })).rejects.toMatchObject({ status: 422, code: "validation_failed", details: [expect.objectContaining({ path: "name" })] });
    const caller = await keyport.callerKey();
    const limited = new Keyport({ baseUrl: keyport.server.url, apiKey: caller.secret });
    await expect(limited.listKeys()).rejects.toMatchObject({ status: 403, code: "insufficient_scope" });
    await expect(limited.verifyKey({ key: caller.secret })).rejects.toMatchObject({ status: 403, code: "insufficient_scope" });
    await keyport.revoke(caller.id, caller.owner.id);
    await expect(limited.getMe()).rejects.toMatchObject({ status: 401, code: "revoked_key" });
  });
});

/** One protected route, served by each middleware: answers the key, owner and team it was given. */
interface Protected {
  name: string;
  /** Sends GET /orders (scope me:read) with these headers. */
  call(headers: Record<string, string>, path?: string): Promise<Response>;
}

async function listen(server: import("node:http").Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function expressApp(protect: Keyport): Promise<Protected> {
  const app = express();
  app.get("/orders", keyportExpress(protect, { scopes: ["me:read"] }), (request, response) => {
    response.json(request.keyport satisfies KeyportAuth | undefined);
  });
  const url = await listen(app.listen(0, "127.0.0.1") as unknown as import("node:http").Server);
  return { name: "Express", call: (headers, path = "/orders") => fetch(`${url}${path}`, { headers }) };
}

async function honoApp(protect: Keyport): Promise<Protected> {
  const app = new Hono<{ Variables: KeyportVariables }>();
  app.get("/orders", keyportHono(protect, { scopes: ["me:read"] }), (c) => c.json(c.get("keyport")));
  const port = await freePort();
  const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { name: "Hono", call: (headers, path = "/orders") => fetch(`http://127.0.0.1:${port}${path}`, { headers }) };
}

async function nextRoute(protect: Keyport): Promise<Protected> {
  // A route handler, called as Next.js calls one: a web Request and a context with params.
  const GET = withKeyport<{ params: Promise<Record<string, never>> }>(protect, { scopes: ["me:read"], ip: (request) => request.headers.get("x-test-client-ip") ?? undefined }, (_request, context) =>
    Response.json(context.keyport),
  );
  return {
    name: "Next.js route handler",
    call: async (headers, path = "/orders") => GET(new Request(`http://localhost${path}`, { headers: { "x-test-client-ip": "127.0.0.1", ...headers } }), { params: Promise.resolve({}) }),
  };
}

describe.each([
  ["Express", expressApp],
  ["Hono", honoApp],
  ["Next.js route handler", nextRoute],
])("the %s middleware", (_, make) => {
  let app: Protected;
  beforeAll(async () => {
    app = await make(new Keyport({ baseUrl: keyport.server.url, apiKey: keyport.serviceKey }));
  });

  async function errorOf(response: Response) {
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } }, challenge: response.headers.get("www-authenticate") };
  }

  it("a valid key (Bearer or X-API-Key) reaches the handler with its key, owner and team", async () => {
    const caller = await keyport.callerKey({ ipAllowlist: ["127.0.0.1/32"] });
    for (const headers of [{ authorization: `Bearer ${caller.secret}` }, { "x-api-key": caller.secret }] as Record<string, string>[]) {
      const response = await app.call(headers);
      expect(response.status).toBe(200);
      const auth = (await response.json()) as KeyportAuth;
      expect(auth.key).toMatchObject({ id: caller.id, scopes: ["me:read"], environment: "test" });
      expect(auth.owner).toEqual({ id: caller.owner.id, email: caller.owner.email });
      const verdict = (await client.verifyKey({ key: caller.secret, ip: "127.0.0.1" })) as { team?: unknown };
      expect(auth.team).toEqual(verdict.team ?? null);
    }
  });

  it("a team's key reaches the handler with its team", async () => {
    const teamKey = await keyport.teamKey(`ts-${slugs++}`);
    const response = await app.call({ authorization: `Bearer ${teamKey.secret}` });
    expect(response.status).toBe(200);
    const auth = (await response.json()) as KeyportAuth;
    expect(auth.team).toEqual(teamKey.team);
    expect(auth.key.id).toBe(teamKey.id);
  });

  it("no key: 401 missing_key; two different keys: 401 malformed_key", async () => {
    expect(await errorOf(await app.call({}))).toMatchObject({ status: 401, body: { error: { code: "missing_key" } }, challenge: 'Bearer realm="keyport"' });
    const [a, b] = [await keyport.callerKey(), await keyport.callerKey()];
    expect(await errorOf(await app.call({ authorization: `Bearer ${a.secret}`, "x-api-key": b.secret }))).toMatchObject({ status: 401, body: { error: { code: "malformed_key" } } });
  });

  it("a revoked key: 401 revoked_key with the invalid_token challenge; an unknown one: 401 unknown_key", async () => {
    const caller = await keyport.callerKey();
    expect((await app.call({ authorization: `Bearer ${caller.secret}` })).status).toBe(200);
    await keyport.revoke(caller.id, caller.owner.id);
    expect(await errorOf(await app.call({ authorization: `Bearer ${caller.secret}` }))).toEqual({
      status: 401,
      body: { error: { code: "revoked_key", message: "The API key has been revoked." } },
      challenge: 'Bearer realm="keyport", error="invalid_token"',
    });
    expect(await errorOf(await app.call({ authorization: `Bearer ${caller.secret.slice(0, -2)}zz` }))).toMatchObject({ status: 401, body: { error: { code: "unknown_key" } } });
  });

  it("a key without the route's scope: 403 insufficient_scope naming it; a key from a disallowed IP: 403 ip_not_allowed", async () => {
    const noScope = await keyport.callerKey({ scopes: ["keys:read"] });
    const scoped = await errorOf(await app.call({ authorization: `Bearer ${noScope.secret}` }));
    expect(scoped).toMatchObject({ status: 403, body: { error: { code: "insufficient_scope" } }, challenge: 'Bearer realm="keyport", error="insufficient_scope"' });
    expect(scoped.body.error.message).toContain("me:read");
    const elsewhere = await keyport.callerKey({ ipAllowlist: ["203.0.113.0/24"] });
    expect(await errorOf(await app.call({ authorization: `Bearer ${elsewhere.secret}` }))).toMatchObject({ status: 403, body: { error: { code: "ip_not_allowed" } } });
  });

  it("Keyport unreachable: 503 unavailable, never the handler", async () => {
    const port = await freePort();
    const offline = await make(new Keyport({ baseUrl: `http://127.0.0.1:${port}`, apiKey: keyport.serviceKey, retries: 0 }));
    const caller = await keyport.callerKey();
    const refused = await errorOf(await offline.call({ authorization: `Bearer ${caller.secret}` }));
    expect(refused).toMatchObject({ status: 503, body: { error: { code: "unavailable" } } });
  });
});
