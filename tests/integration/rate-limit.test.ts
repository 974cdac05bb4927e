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
