import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as rollRoute from "@/app/api/v1/keys/[id]/roll/route";
import * as verifyRoute from "@/app/api/v1/verify/route";
import * as meRoute from "@/app/api/v1/me/route";
import { GET as openapi } from "@/app/api/v1/openapi.json/route";
import { OPERATIONS } from "@/lib/api/openapi";
import { CreatedKeySchema, ErrorSchema, KeyListSchema, KeySchema, MeSchema, RolledKeySchema, VerifyResultSchema } from "@/lib/api/schemas";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { db } from "@/lib/db";
import { createTestKey, createTestUser } from "../helpers/factories";
import { expectDocumented } from "../helpers/openapi-contract";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(handler: Handler, secret: string, init: { method?: string; body?: unknown; url?: string; params?: Record<string, string> } = {}) {
  const url = `http://localhost${init.url ?? "/api/v1/keys"}`;
  const method = init.method ?? "GET";
  const response = await handler(
    new Request(url, {
      method,
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    }),
    { params: Promise.resolve(init.params ?? {}) },
  );
  // Status, body and declared headers as the OpenAPI document says (tests/helpers/openapi-contract.ts).
  await expectDocumented({ method, url }, response);
  const body = await response.json();
  // Every response of this suite must match the documented schema for its status.
  if (response.status >= 400) ErrorSchema.parse(body);
  return { status: response.status, body };
}

describe("the key management API", () => {
  it("end to end: a keys:write key creates a key, the new key works, is rolled, then revoked", async () => {
    const user = await createTestUser();
    const manager = await createTestKey(user.id, { scopes: ["keys:read", "keys:write", "me:read"] });

    const created = await call(keysRoute.POST as Handler, manager.secret, { method: "POST", body: { name: "from the API", environment: "live", scopes: ["me:read"] } });
    expect(created.status).toBe(201);
    const { key, secret } = CreatedKeySchema.parse(created.body);
    expect(key).toMatchObject({ name: "from the API", environment: "live", scopes: ["me:read"], status: "active" });
    expect(JSON.stringify(created.body)).not.toMatch(/[0-9a-f]{64}/);

    const me = await call(meRoute.GET as Handler, secret, { url: "/api/v1/me" });
    expect(me.status).toBe(200);
    MeSchema.parse(me.body);

    const listed = await call(keysRoute.GET as Handler, manager.secret, { url: "/api/v1/keys?limit=1" });
    expect(listed.status).toBe(200);
    const page = KeyListSchema.parse(listed.body);
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).toBeTruthy();
    const second = KeyListSchema.parse((await call(keysRoute.GET as Handler, manager.secret, { url: `/api/v1/keys?limit=1&cursor=${page.nextCursor}` })).body);
    expect(second.items[0].id).not.toBe(page.items[0].id);

    const read = await call(keyRoute.GET as Handler, manager.secret, { url: `/api/v1/keys/${key.id}`, params: { id: key.id } });
    expect(KeySchema.parse(read.body).id).toBe(key.id);

    const patched = await call(keyRoute.PATCH as Handler, manager.secret, { method: "PATCH", url: `/api/v1/keys/${key.id}`, params: { id: key.id }, body: { name: "renamed", scopes: ["me:read", "keys:read"] } });
    expect(patched.status).toBe(200);
    expect(KeySchema.parse(patched.body)).toMatchObject({ name: "renamed", scopes: ["keys:read", "me:read"] });

    const rolled = await call(rollRoute.POST as Handler, manager.secret, { method: "POST", url: `/api/v1/keys/${key.id}/roll`, params: { id: key.id }, body: { graceSeconds: 3600 } });
    expect(rolled.status).toBe(201);
    const next = RolledKeySchema.parse(rolled.body);
    expect((await call(meRoute.GET as Handler, next.secret, { url: "/api/v1/me" })).status).toBe(200);
    expect((await call(meRoute.GET as Handler, secret, { url: "/api/v1/me" })).status).toBe(200);

    const revoked = await call(keyRoute.DELETE as Handler, manager.secret, { method: "DELETE", url: `/api/v1/keys/${next.key.id}`, params: { id: next.key.id } });
    expect(KeySchema.parse(revoked.body).status).toBe("revoked");
    const refused = await call(meRoute.GET as Handler, next.secret, { url: "/api/v1/me" });
    expect(refused).toMatchObject({ status: 401, body: { error: { code: "revoked_key" } } });
  });

  it("a key can never grant more scopes than it holds, and verify needs an admin owner", async () => {
    const user = await createTestUser();
    const manager = await createTestKey(user.id, { scopes: ["keys:write"] });
    const wider = await call(keysRoute.POST as Handler, manager.secret, { method: "POST", body: { name: "x", scopes: ["keys:write", "keys:read"] } });
    expect(wider).toMatchObject({ status: 403, body: { error: { code: "insufficient_scope" } } });
    const verifyScope = await call(keysRoute.POST as Handler, manager.secret, { method: "POST", body: { name: "x", scopes: ["verify"] } });
    expect(verifyScope.status).toBe(403);
    expect(verifyScope.body.error.message).toContain("Only an admin");
  });

  it("another user's key id is a 404, never a 403", async () => {
    const owner = await createTestUser();
    const stranger = await createTestUser();
    const { key } = await createTestKey(owner.id);
    const strangerKey = await createTestKey(stranger.id, { scopes: ["keys:read", "keys:write"] });
    for (const [handler, method] of [[keyRoute.GET, "GET"], [keyRoute.PATCH, "PATCH"], [keyRoute.DELETE, "DELETE"], [rollRoute.POST, "POST"]] as const) {
      const result = await call(handler as Handler, strangerKey.secret, { method, url: `/api/v1/keys/${key.id}`, params: { id: key.id }, body: method === "PATCH" ? { name: "mine" } : method === "POST" ? {} : undefined });
      expect(result, method).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    }
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).toBeNull();
  });

  it("bad bodies get 400, 413 or 422 in the one error shape", async () => {
    const user = await createTestUser();
    const manager = await createTestKey(user.id, { scopes: ["keys:write"] });
    expect((await call(keysRoute.POST as Handler, manager.secret, { method: "POST", body: "{not json" })).status).toBe(400);
    expect((await call(keysRoute.POST as Handler, manager.secret, { method: "POST", body: { name: "x".repeat(20_000) } })).status).toBe(413);
    const invalid = await call(keysRoute.POST as Handler, manager.secret, { method: "POST", body: { name: "", scopes: [], extra: true } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details.length).toBeGreaterThan(0);
  });
});

describe("POST /api/v1/verify", () => {
  async function serviceKey() {
    const admin = await createTestUser({ role: "ADMIN" });
    return createTestKey(admin.id, { scopes: ["verify"] });
  }
  const verify = (service: string, body: unknown) => call(verifyRoute.POST as Handler, service, { method: "POST", url: "/api/v1/verify", body });

  it("answers 200 with each code: VALID, NOT_FOUND, REVOKED, EXPIRED, DISABLED, INSUFFICIENT_SCOPE, RATE_LIMITED", async () => {
    const service = await serviceKey();
    const user = await createTestUser();
    const valid = await createTestKey(user.id, { scopes: ["me:read"] });
    const revoked = await createTestKey(user.id);
    await revokeApiKey({ keyId: revoked.key.id }, { actorId: null });
    const expired = await createTestKey(user.id, { expiresAt: new Date(Date.now() - 1000) });
    const limited = await createTestKey(user.id);
    await db.apiKey.update({ where: { id: limited.key.id }, data: { rateLimitPerMinute: 1 } });
    const disabledOwner = await createTestUser();
    const disabled = await createTestKey(disabledOwner.id);
    await db.user.update({ where: { id: disabledOwner.id }, data: { disabledAt: new Date() } });

    const codes: Record<string, string> = {};
    const cases: [string, unknown][] = [
      ["VALID", { key: valid.secret, scopes: ["me:read"] }],
      ["NOT_FOUND", { key: "kp_live_nope" }],
      ["REVOKED", { key: revoked.secret }],
      ["EXPIRED", { key: expired.secret }],
      ["DISABLED", { key: disabled.secret }],
      ["INSUFFICIENT_SCOPE", { key: valid.secret, scopes: ["keys:write"] }],
    ];
    for (const [expected, body] of cases) {
      const result = await verify(service.secret, body);
      expect(result.status).toBe(200);
      codes[expected] = VerifyResultSchema.parse(result.body).code;
    }
    await verify(service.secret, { key: limited.secret });
    const overLimit = VerifyResultSchema.parse((await verify(service.secret, { key: limited.secret })).body);
    expect(overLimit).toMatchObject({ valid: false, code: "RATE_LIMITED", ratelimit: { limit: 1, remaining: 0 } });
    expect(codes).toEqual({ VALID: "VALID", NOT_FOUND: "NOT_FOUND", REVOKED: "REVOKED", EXPIRED: "EXPIRED", DISABLED: "DISABLED", INSUFFICIENT_SCOPE: "INSUFFICIENT_SCOPE" });

    const ok = VerifyResultSchema.parse((await verify(service.secret, { key: valid.secret })).body);
    expect(ok).toMatchObject({ valid: true, keyId: valid.key.id, owner: { id: user.id, email: user.email }, scopes: ["me:read"], environment: "test" });
  });

  it("a key without the verify scope is refused with 403", async () => {
    const user = await createTestUser();
    const plain = await createTestKey(user.id, { scopes: ["me:read"] });
    expect((await verify(plain.secret, { key: plain.secret })).status).toBe(403);
  });
});

describe("the OpenAPI contract", () => {
  function routeFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const file = path.join(dir, name);
      return statSync(file).isDirectory() ? routeFiles(file) : name === "route.ts" ? [file] : [];
    });
  }

  it("every /api/v1 route handler and method appears in the OpenAPI document", async () => {
    const document = await (await openapi(new Request("http://localhost/api/v1/openapi.json"))).json();
    expect(document.openapi).toBe("3.1.0");
    const root = path.resolve("app/api/v1");
    const undocumented: string[] = [];
    for (const file of routeFiles(root)) {
      const route = path.relative(root, path.dirname(file)).replace(/\[([^\]]+)\]/g, "{$1}");
      if (route === "{...path}" || route === "openapi.json") continue;
      const apiPath = `/api/v1/${route}`;
      const methods = [...readFileSync(file, "utf8").matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((match) => match[1].toLowerCase());
      for (const method of methods) if (!document.paths?.[apiPath]?.[method]) undocumented.push(`${method.toUpperCase()} ${apiPath}`);
    }
    expect(undocumented).toEqual([]);
    expect(Object.keys(document.paths).length).toBe(new Set(OPERATIONS.map((operation) => operation.path)).size);
  });
});
