import { describe, expect, it } from "vitest";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as rollRoute from "@/app/api/v1/keys/[id]/roll/route";
import * as verifyRoute from "@/app/api/v1/verify/route";
import * as meRoute from "@/app/api/v1/me/route";
import { setUserRole } from "@/lib/admin/manage-users";
import { setKeyRateLimit } from "@/lib/admin/set-key-rate-limit";
import { usableKeyWhere } from "@/lib/api-keys/key-policy";
import { env } from "@/lib/env";
import { rollApiKey } from "@/lib/api-keys/roll-api-key";
import { updateApiKey } from "@/lib/api-keys/update-api-key";
import { ErrorSchema } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { createTestKey, createTestUser } from "../helpers/factories";

// Each test is an attack through the entry point an attacker has: a key calling /api/v1
// (route handlers with a real Request), or an owner whose rights changed.

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const DAY = 86_400_000;

async function call(handler: unknown, secret: string, init: { method?: string; body?: unknown; url?: string; id?: string; ip?: string } = {}) {
  const response = await (handler as Handler)(
    new Request(`http://localhost${init.url ?? "/api/v1/keys"}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", ...(init.ip ? { "x-forwarded-for": init.ip } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    { params: Promise.resolve((init.id ? { id: init.id } : {}) as Record<string, string>) },
  );
  const body = await response.json();
  if (response.status >= 400) ErrorSchema.parse(body);
  return { status: response.status, body, headers: response.headers };
}

const roll = (secret: string, id: string, body: unknown = {}) => call(rollRoute.POST, secret, { method: "POST", url: `/api/v1/keys/${id}/roll`, id, body });
const patch = (secret: string, id: string, body: unknown) => call(keyRoute.PATCH, secret, { method: "PATCH", url: `/api/v1/keys/${id}`, id, body });
const patchFrom = (secret: string, id: string, body: unknown, ip: string) => call(keyRoute.PATCH, secret, { method: "PATCH", url: `/api/v1/keys/${id}`, id, body, ip });
const ctx = (actorId: string) => ({ actorId, ip: "127.0.0.1", userAgent: "vitest" });

describe("a key can never roll a key into more than it holds", () => {
  it("a keys:write-only key rolling a broader key is refused, and no secret or new key comes of it", async () => {
    const user = await createTestUser();
    const writer = await createTestKey(user.id, { scopes: ["keys:write"] });
    const broad = await createTestKey(user.id, { scopes: ["keys:read", "keys:write", "me:read"] });
    const answer = await roll(writer.secret, broad.key.id);
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe("insufficient_scope");
    expect(JSON.stringify(answer.body)).not.toMatch(/kp_(test|live)_/);
    expect(await db.apiKey.count({ where: { rolledFromId: broad.key.id } })).toBe(0);
    // The broad key is untouched: no grace started.
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: broad.key.id } })).graceEndsAt).toBeNull();
  });

  it("a key that holds every scope of the key it rolls may roll it", async () => {
    const user = await createTestUser();
    const writer = await createTestKey(user.id, { scopes: ["keys:write", "me:read"] });
    const narrow = await createTestKey(user.id, { scopes: ["me:read"] });
    const answer = await roll(writer.secret, narrow.key.id);
    expect(answer.status).toBe(201);
    expect(answer.body.key.scopes).toEqual(["me:read"]);
    // Named apart from the key it replaces, as the dashboard names it.
    expect(answer.body.key.name).toBe(`test key (rolled ${new Date().toISOString().slice(0, 10)})`);
  });
});

describe("a roll keeps every restriction of the old key", () => {
  it("allowlist, the admin's rate limit, environment and expiry carry over (dashboard, API and CLI share rollApiKey)", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const user = await createTestUser();
    const expiresAt = new Date(Date.now() + 3 * DAY);
    const old = await createTestKey(user.id, { environment: "live", scopes: ["me:read"], expiresAt, ipAllowlist: ["203.0.113.0/24"] });
    await setKeyRateLimit({ keyId: old.key.id, limit: 7 }, ctx(admin.id));
    const { key } = await rollApiKey({ keyId: old.key.id, ownerId: user.id, graceMs: 0 }, ctx(user.id));
    expect(key).toMatchObject({ environment: "live", ipAllowlist: "203.0.113.0/24", rateLimitPerMinute: 7, scopes: "me:read" });
    expect(key.expiresAt?.getTime()).toBe(expiresAt.getTime());
  });

  it("through the API, a roll of a key expiring in 3 days keeps that expiry unless a new one is chosen", async () => {
    const user = await createTestUser();
    const writer = await createTestKey(user.id, { scopes: ["keys:write", "me:read"] });
    const expiresAt = new Date(Date.now() + 3 * DAY);
    const first = await createTestKey(user.id, { scopes: ["me:read"], expiresAt });
    const kept = await roll(writer.secret, first.key.id);
    expect(kept.status).toBe(201);
    expect(kept.body.key.expiresAt).toBe(expiresAt.toISOString());

    const second = await createTestKey(user.id, { scopes: ["me:read"], expiresAt });
    const later = new Date(Date.now() + 30 * DAY);
    const chosen = await roll(writer.secret, second.key.id, { expiresAt: later.toISOString() });
    expect(chosen.status).toBe(201);
    expect(chosen.body.key.expiresAt).toBe(later.toISOString());
  });

  it("a key with an expiry cannot roll a key into one that outlives it", async () => {
    const user = await createTestUser();
    const writer = await createTestKey(user.id, { scopes: ["keys:write", "me:read"], expiresAt: new Date(Date.now() + DAY) });
    const target = await createTestKey(user.id, { scopes: ["me:read"], expiresAt: new Date(Date.now() + 10 * DAY) });
    const answer = await roll(writer.secret, target.key.id, { expiresAt: null });
    expect(answer.status).toBe(403);
    expect(await db.apiKey.count({ where: { rolledFromId: target.key.id } })).toBe(0);
  });
});

describe("a key cannot loosen a key that holds scopes it does not hold", () => {
  it("removing another key's allowlist or expiry is refused; narrowing is allowed", async () => {
    const user = await createTestUser();
    const writer = await createTestKey(user.id, { scopes: ["keys:write"] });
    const strong = await createTestKey(user.id, {
      scopes: ["keys:read", "me:read"],
      expiresAt: new Date(Date.now() + 5 * DAY),
      ipAllowlist: ["203.0.113.0/24"],
    });
    expect((await patch(writer.secret, strong.key.id, { ipAllowlist: [] })).status).toBe(403);
    expect((await patch(writer.secret, strong.key.id, { ipAllowlist: ["0.0.0.0/0"] })).status).toBe(403);
    expect((await patch(writer.secret, strong.key.id, { expiresAt: null })).status).toBe(403);
    expect((await patch(writer.secret, strong.key.id, { expiresAt: new Date(Date.now() + 50 * DAY).toISOString() })).status).toBe(403);
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: strong.key.id } });
    expect(row.ipAllowlist).toBe("203.0.113.0/24");
    expect(row.expiresAt).not.toBeNull();

    // Tightening takes nothing away from anyone: allowed.
    expect((await patch(writer.secret, strong.key.id, { ipAllowlist: ["203.0.113.7"] })).status).toBe(200);
    expect((await patch(writer.secret, strong.key.id, { expiresAt: new Date(Date.now() + DAY).toISOString() })).status).toBe(200);
  });

  it("a key restricted to an allowlist cannot create a key without one, nor one outliving it", async () => {
    const user = await createTestUser();
    const bounded = await createTestKey(user.id, { scopes: ["keys:write", "me:read"], ipAllowlist: ["198.51.100.0/24"], expiresAt: new Date(Date.now() + DAY) });
    const ip = "198.51.100.9";
    const open = await call(keysRoute.POST, bounded.secret, { method: "POST", ip, body: { name: "escape", scopes: ["me:read"], ipAllowlist: [], expiresAt: new Date(Date.now() + 3600_000).toISOString() } });
    expect(open.status).toBe(403);
    const forever = await call(keysRoute.POST, bounded.secret, { method: "POST", ip, body: { name: "forever", scopes: ["me:read"] } });
    expect(forever.status).toBe(403);
    const inherited = await call(keysRoute.POST, bounded.secret, { method: "POST", ip, body: { name: "child", scopes: ["me:read"], expiresAt: new Date(Date.now() + 3600_000).toISOString() } });
    expect(inherited.status).toBe(201);
    expect(inherited.body.key.ipAllowlist).toEqual(["198.51.100.0/24"]);
  });
});

describe("admin-only scopes follow the owner's current role", () => {
  it("a demoted admin's verify key stops at once and cannot be renewed by rolling", async () => {
    const keepAdmin = await createTestUser({ role: "ADMIN" });
    const admin = await createTestUser({ role: "ADMIN" });
    const service = await createTestKey(admin.id, { scopes: ["verify", "keys:write"], expiresAt: new Date(Date.now() + 10 * DAY) });
    const checked = await createTestKey(keepAdmin.id);
    const verify = () => call(verifyRoute.POST, service.secret, { method: "POST", url: "/api/v1/verify", body: { key: checked.secret } });
    expect((await verify()).body).toMatchObject({ valid: true, code: "VALID" }); // now cached

    await setUserRole({ userId: admin.id, role: "USER" }, ctx(keepAdmin.id));
    const refused = await verify();
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("insufficient_scope");

    await expect(rollApiKey({ keyId: service.key.id, ownerId: admin.id, graceMs: 0 }, ctx(admin.id))).rejects.toMatchObject({ code: "forbidden_scope" });
    expect((await roll(service.secret, service.key.id)).status).toBe(403);
    // Nor kept alive for a future promotion: it can only be narrowed or revoked.
    await expect(updateApiKey({ keyId: service.key.id, ownerId: admin.id, expiresAt: null }, ctx(admin.id))).rejects.toMatchObject({ code: "forbidden_scope" });
    await expect(updateApiKey({ keyId: service.key.id, ownerId: admin.id, expiresAt: new Date(Date.now() + DAY) }, ctx(admin.id))).resolves.toBeTruthy();
    expect(await db.apiKey.count({ where: { rolledFromId: service.key.id } })).toBe(0);
  });
});

describe("POST /api/v1/verify applies the key's allowlist to the end client's IP", () => {
  it("VALID from an allowed ip, IP_NOT_ALLOWED from another or without one", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const service = await createTestKey(admin.id, { scopes: ["verify"] });
    const user = await createTestUser();
    const restricted = await createTestKey(user.id, { ipAllowlist: ["203.0.113.0/24"] });
    const verify = (ip?: string) =>
      call(verifyRoute.POST, service.secret, { method: "POST", url: "/api/v1/verify", body: { key: restricted.secret, ...(ip ? { ip } : {}) } });
    expect((await verify("203.0.113.50")).body).toMatchObject({ valid: true, code: "VALID" });
    expect((await verify("198.51.100.1")).body).toMatchObject({ valid: false, code: "IP_NOT_ALLOWED" });
    expect((await verify()).body).toMatchObject({ valid: false, code: "IP_NOT_ALLOWED" });
    const bad = await call(verifyRoute.POST, service.secret, { method: "POST", url: "/api/v1/verify", body: { key: restricted.secret, ip: "not-an-ip" } });
    expect(bad.status).toBe(422);
  });
});

describe("every authenticated response carries RateLimit-* headers", () => {
  it("a handler's 404 and 422 carry them, as a 200 does", async () => {
    const user = await createTestUser();
    const key = await createTestKey(user.id, { scopes: ["keys:read", "keys:write", "me:read"] });
    const ok = await call(meRoute.GET, key.secret, { url: "/api/v1/me" });
    const missing = await call(keyRoute.GET, key.secret, { url: "/api/v1/keys/nosuchkey", id: "nosuchkey" });
    const invalid = await call(keysRoute.POST, key.secret, { method: "POST", body: { name: "" } });
    expect([ok.status, missing.status, invalid.status]).toEqual([200, 404, 422]);
    for (const answer of [ok, missing, invalid]) {
      expect(answer.headers.get("ratelimit-limit")).toMatch(/^\d+$/);
      expect(answer.headers.get("ratelimit-remaining")).toMatch(/^\d+$/);
      expect(answer.headers.get("ratelimit-reset")).toMatch(/^\d+$/);
    }
  });
});

// Found by an outside review of the key policy: each was a 200/201 before the fix.
describe("a key cannot hand on more than it is", () => {
  it("a 1-day key restricted to 198.51.100.0/24 cannot PATCH its keys:write onto a never-expiring, unrestricted key", async () => {
    const user = await createTestUser();
    const bounded = await createTestKey(user.id, { scopes: ["keys:write", "keys:read", "me:read"], ipAllowlist: ["198.51.100.0/24"], expiresAt: new Date(Date.now() + DAY) });
    const weak = await createTestKey(user.id, { scopes: ["me:read"] });
    const patched = await patchFrom(bounded.secret, weak.key.id, { scopes: ["keys:write", "keys:read", "me:read"] }, "198.51.100.9");
    expect(patched.status).toBe(403);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: weak.key.id } })).scopes).toBe("me:read");
  });

  it("a key in a roll's grace cannot create, change or roll keys (they could outlive it); its replacement can", async () => {
    const user = await createTestUser();
    const old = await createTestKey(user.id, { scopes: ["keys:write", "me:read"] });
    const target = await createTestKey(user.id, { scopes: ["me:read"] });
    const rolled = await rollApiKey({ keyId: old.key.id, ownerId: user.id, graceMs: 3_600_000 }, ctx(user.id));
    expect((await call(meRoute.GET, old.secret, { url: "/api/v1/me" })).status).toBe(200); // still works, in grace
    expect((await call(keysRoute.POST, old.secret, { method: "POST", body: { name: "outlives the grace", scopes: ["me:read"] } })).status).toBe(403);
    expect((await patch(old.secret, target.key.id, { name: "renamed is fine", expiresAt: null })).status).toBe(403);
    expect((await roll(old.secret, target.key.id)).status).toBe(403);
    expect((await call(keysRoute.POST, rolled.secret, { method: "POST", body: { name: "from the replacement", scopes: ["me:read"] } })).status).toBe(201);
  });

  it("a key the admin limited to 1 request a minute creates keys with that limit, not the default", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const user = await createTestUser();
    const throttled = await createTestKey(user.id, { scopes: ["keys:write", "me:read"] });
    await setKeyRateLimit({ keyId: throttled.key.id, limit: 1 }, ctx(admin.id));
    const minted = await call(keysRoute.POST, throttled.secret, { method: "POST", body: { name: "fresh", scopes: ["me:read"] } });
    expect(minted.status).toBe(201);
    const fresh = await call(meRoute.GET, minted.body.secret, { url: "/api/v1/me" });
    expect(fresh.headers.get("ratelimit-limit")).toBe("1");
  });

  it("a roll with a grace counts against MAX_ACTIVE_KEYS_PER_USER; at the cap only a roll with no grace goes through", async () => {
    const user = await createTestUser();
    const current = await createTestKey(user.id, { scopes: ["keys:write", "me:read"] });
    for (let i = 1; i < env.MAX_ACTIVE_KEYS_PER_USER; i++) await createTestKey(user.id);
    expect((await call(keysRoute.POST, current.secret, { method: "POST", body: { name: "one more", scopes: ["me:read"] } })).status).toBe(409);
    const withGrace = await roll(current.secret, current.key.id, { graceSeconds: 30 * 86_400 });
    expect(withGrace.status).toBe(409);
    expect(withGrace.body.error.code).toBe("limit_reached");
    const noGrace = await roll(current.secret, current.key.id, { graceSeconds: 0 });
    expect(noGrace.status).toBe(201);
    expect(await db.apiKey.count({ where: { ownerId: user.id, ...usableKeyWhere(new Date()) } })).toBeLessThanOrEqual(env.MAX_ACTIVE_KEYS_PER_USER);
  });
});
