import { describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/v1/me/route";
import { GET as notFound } from "@/app/api/v1/[...path]/route";
import { GET as health } from "@/app/api/health/route";
import { generateApiKey } from "@/lib/api-keys/key-format";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { createTestKey, createTestUser } from "../helpers/factories";

const routeContext = { params: Promise.resolve({}) };

function call(headers: Record<string, string> = {}) {
  return me(new Request("http://localhost/api/v1/me", { headers }), routeContext);
}

async function expectRefusal(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body = await response.json();
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
  if (status === 401) expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
}

describe("GET /api/v1/me", () => {
  it("returns the owner and the key, never a hash, for a Bearer key and for X-API-Key", async () => {
    const user = await createTestUser({ name: "Grace" });
    const { key, secret } = await createTestKey(user.id, { environment: "live" });
    for (const headers of [{ authorization: `Bearer ${secret}` }, { "x-api-key": secret }] as Record<string, string>[]) {
      const response = await call(headers);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      const body = await response.json();
      expect(body).toEqual({
        owner: { id: user.id, email: user.email, name: "Grace" },
        key: { id: key.id, name: key.name, start: secret.slice(0, 12), environment: "live", scopes: ["me:read"], expiresAt: null, createdAt: key.createdAt.toISOString() },
        team: null,
        createdBy: { id: user.id, email: user.email },
      });
      expect(JSON.stringify(body)).not.toMatch(/[0-9a-f]{64}/);
    }
  });

  it("answers 401 missing_key, malformed_key and unknown_key with WWW-Authenticate", async () => {
    await expectRefusal(await call(), 401, "missing_key");
    await expectRefusal(await call({ authorization: "Basic dXNlcjpwYXNz" }), 401, "malformed_key");
    await expectRefusal(await call({ authorization: "Bearer kp_live_tampered" }), 401, "malformed_key");
    await expectRefusal(await call({ authorization: `Bearer ${generateApiKey("kp", "live").secret}` }), 401, "unknown_key");
  });

  it("a tampered key gets malformed_key", async () => {
    const user = await createTestUser();
    const { secret } = await createTestKey(user.id);
    const tampered = secret.slice(0, 15) + (secret[15] === "Z" ? "Y" : "Z") + secret.slice(16);
    await expectRefusal(await call({ authorization: `Bearer ${tampered}` }), 401, "malformed_key");
  });

  it("a revoked key gets 401 revoked_key on its next request", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    expect((await call({ authorization: `Bearer ${secret}` })).status).toBe(200);
    await revokeApiKey({ keyId: key.id }, { actorId: user.id });
    await expectRefusal(await call({ authorization: `Bearer ${secret}` }), 401, "revoked_key");
  });

  it("an expired key gets 401 expired_key", async () => {
    const user = await createTestUser();
    const { secret } = await createTestKey(user.id, { expiresAt: new Date(Date.now() - 1_000) });
    await expectRefusal(await call({ authorization: `Bearer ${secret}` }), 401, "expired_key");
  });

  it("a key without me:read gets 403 insufficient_scope", async () => {
    const user = await createTestUser();
    const { secret } = await createTestKey(user.id, { scopes: ["keys:read"] });
    await expectRefusal(await call({ authorization: `Bearer ${secret}` }), 403, "insufficient_scope");
  });
});

describe("the rest of /api", () => {
  it("an unknown /api/v1 path is a JSON 404", async () => {
    const response = await notFound(new Request("http://localhost/api/v1/does-not-exist"));
    await expectRefusal(response, 404, "not_found");
  });

  it("GET /api/health says ok and that the database answers", async () => {
    const response = await health();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  });
});
