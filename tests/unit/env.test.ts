import { describe, expect, it } from "vitest";
import { envSchema } from "@/lib/env";

describe("configuration", () => {
  it("an empty environment gives the embedded defaults", () => {
    const env = envSchema.parse({});
    expect(env.DATABASE_URL).toBe("file:./data/keyport.db");
    expect(env.KEY_PREFIX).toBe("kp");
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.MAX_ACTIVE_KEYS_PER_USER).toBe(50);
    expect(env.BCRYPT_COST).toBe(12);
  });

  it("a bad value is refused with a message naming the variable", () => {
    const result = envSchema.safeParse({ DATABASE_URL: "mysql://x", KEY_PREFIX: "Bad Prefix", KEY_CACHE_TTL_MS: "soon" });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["DATABASE_URL", "KEY_PREFIX", "KEY_CACHE_TTL_MS"]));
  });

  it("ADMIN_EMAILS is split, trimmed and lower-cased", () => {
    expect(envSchema.parse({ ADMIN_EMAILS: " Ops@Example.com, b@x.io ,," }).ADMIN_EMAILS).toEqual(["ops@example.com", "b@x.io"]);
  });
});
