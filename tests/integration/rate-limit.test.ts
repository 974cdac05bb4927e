import { describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/v1/me/route";
import { db } from "@/lib/db";
import { createTestKey, createTestUser } from "../helpers/factories";

const routeContext = { params: Promise.resolve({}) };

describe("per-key rate limits (in-process)", () => {
  it("counts down RateLimit-Remaining and answers a JSON 429 with Retry-After past the limit", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    await db.apiKey.update({ where: { id: key.id }, data: { rateLimitPerMinute: 3 } });
    const call = () => me(new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${secret}` } }), routeContext);

    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await call();
      expect(response.status).toBe(200);
      expect(response.headers.get("ratelimit-limit")).toBe("3");
      expect(Number(response.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
      remaining.push(response.headers.get("ratelimit-remaining")!);
    }
    expect(remaining).toEqual(["2", "1", "0"]);

    const refused = await call();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(await refused.json()).toEqual({ error: { code: "rate_limited", message: expect.stringContaining("3 requests a minute") } });
  });

  it("the default limit applies to a key with no override, and keys are counted apart", async () => {
    const user = await createTestUser();
    const first = await createTestKey(user.id);
    const second = await createTestKey(user.id);
    const call = (secret: string) => me(new Request("http://localhost/api/v1/me", { headers: { "x-api-key": secret } }), routeContext);
    const a = await call(first.secret);
    const b = await call(second.secret);
    const { env } = await import("@/lib/env");
    expect(a.headers.get("ratelimit-limit")).toBe(String(env.RATE_LIMIT_PER_MINUTE));
    expect(a.headers.get("ratelimit-remaining")).toBe(String(env.RATE_LIMIT_PER_MINUTE - 1));
    expect(b.headers.get("ratelimit-remaining")).toBe(String(env.RATE_LIMIT_PER_MINUTE - 1));
  });
});

describe("a service key's limit (POST /api/v1/verify)", () => {
  it("strangers presenting made-up keys to a protected backend cannot use up its service key at a developer key's default", async () => {
    const { POST: verify } = await import("@/app/api/v1/verify/route");
    const { env } = await import("@/lib/env");
    const admin = await createTestUser({ role: "ADMIN" });
    const service = await createTestKey(admin.id, { scopes: ["verify"] });
    const caller = await createTestKey((await createTestUser()).id);
    const ask = (key: string) =>
      verify(
        new Request("http://localhost/api/v1/verify", {
          method: "POST",
          headers: { authorization: `Bearer ${service.secret}`, "content-type": "application/json" },
          body: JSON.stringify({ key, ip: "203.0.113.9" }),
        }),
        routeContext,
      );

    // A developer key's whole minute of made-up keys, and one more.
    for (let i = 0; i <= env.RATE_LIMIT_PER_MINUTE; i++) expect((await ask(`made-up-${i}`)).status).toBe(200);
    const answer = await ask(caller.secret);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ valid: true, code: "VALID" });
    expect(answer.headers.get("ratelimit-limit")).toBe(String(env.SERVICE_KEY_RATE_LIMIT_PER_MINUTE));
    expect(Number(answer.headers.get("ratelimit-remaining"))).toBe(env.SERVICE_KEY_RATE_LIMIT_PER_MINUTE - env.RATE_LIMIT_PER_MINUTE - 2);
  });

  it("only a service key's /verify calls have the service default: its other calls, and a demoted admin's key, have the developer default", async () => {
    const { POST: verify } = await import("@/app/api/v1/verify/route");
    const { env } = await import("@/lib/env");
    const admin = await createTestUser({ role: "ADMIN" });
    const service = await createTestKey(admin.id, { scopes: ["verify", "me:read"] });
    const callMe = () => me(new Request("http://localhost/api/v1/me", { headers: { "x-api-key": service.secret } }), routeContext);
    const callVerify = () =>
      verify(
        new Request("http://localhost/api/v1/verify", { method: "POST", headers: { "x-api-key": service.secret, "content-type": "application/json" }, body: JSON.stringify({ key: service.secret }) }),
        routeContext,
      );
    expect((await callVerify()).headers.get("ratelimit-limit")).toBe(String(env.SERVICE_KEY_RATE_LIMIT_PER_MINUTE));
    expect((await callMe()).headers.get("ratelimit-limit")).toBe(String(env.RATE_LIMIT_PER_MINUTE));
    await db.user.update({ where: { id: admin.id }, data: { role: "USER" } });
    const { invalidate } = await import("@/lib/api-keys/key-events");
    invalidate({ kind: "owner", id: admin.id });
    // No longer a service key: /verify refuses it (403), with the developer default's headers.
    const refused = await callVerify();
    expect(refused.status).toBe(403);
    expect((await callMe()).headers.get("ratelimit-limit")).toBe(String(env.RATE_LIMIT_PER_MINUTE));
  });

  it("invented keys sent through /verify are counted against the end client's ip: that address gets RATE_LIMITED for unknown keys, others and valid keys do not", async () => {
    const { POST: verify } = await import("@/app/api/v1/verify/route");
    const { generateApiKey } = await import("@/lib/api-keys/key-format");
    const { env } = await import("@/lib/env");
    const admin = await createTestUser({ role: "ADMIN" });
    const service = await createTestKey(admin.id, { scopes: ["verify"] });
    const caller = await createTestKey((await createTestUser()).id);
    const ask = async (key: string, ip: string) =>
      (await verify(
        new Request("http://localhost/api/v1/verify", { method: "POST", headers: { authorization: `Bearer ${service.secret}`, "content-type": "application/json" }, body: JSON.stringify({ key, ip }) }),
        routeContext,
      )).json();
    const flooder = "203.0.113.77";
    for (let i = 0; i < env.UNKNOWN_KEYS_PER_IP_PER_MINUTE; i++) expect(await ask(generateApiKey("kp", "live").secret, flooder)).toMatchObject({ valid: false, code: "NOT_FOUND" });
    expect(await ask(generateApiKey("kp", "live").secret, flooder)).toMatchObject({ valid: false, code: "RATE_LIMITED" });
    expect(await ask(generateApiKey("kp", "live").secret, "203.0.113.78")).toMatchObject({ valid: false, code: "NOT_FOUND" });
    expect(await ask(caller.secret, flooder)).toMatchObject({ valid: true, code: "VALID" });
  });
});
