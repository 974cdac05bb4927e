import { describe, expect, it, vi } from "vitest";
import { GET as me } from "@/app/api/v1/me/route";
import { generateApiKey } from "@/lib/api-keys/key-format";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { createTestKey, createTestUser } from "../helpers/factories";

const context = { params: Promise.resolve({}) };
const call = (secret: string, ip: string) =>
  me(new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${secret}`, "x-forwarded-for": ip } }), context);
const invented = () => generateApiKey("kp", "live").secret;

describe("unknown keys per IP", () => {
  it(`past ${env.UNKNOWN_KEYS_PER_IP_PER_MINUTE} unknown keys a minute, an address gets a 429 without a database read, except for the keys it was already using`, async () => {
    const user = await createTestUser();
    const [inUse, notYetUsed] = await Promise.all([createTestKey(user.id), createTestKey(user.id)]);
    const flooder = "198.51.100.66";
    expect((await call(inUse.secret, flooder)).status).toBe(200);

    for (let i = 0; i < env.UNKNOWN_KEYS_PER_IP_PER_MINUTE; i++) {
      const response = await call(invented(), flooder);
      expect(response.status).toBe(401);
    }
    const reads = vi.spyOn(db, "$queryRaw");
    const throttled = await call(invented(), flooder);
    expect(throttled.status).toBe(429);
    expect(await throttled.json()).toMatchObject({ error: { code: "rate_limited" } });
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(throttled.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();

    // The key this address was using is in the cache: it keeps working.
    expect((await call(inUse.secret, flooder)).status).toBe(200);
    // A real key it never used is not, so it waits like any other lookup from this address…
    expect((await call(notYetUsed.secret, flooder)).status).toBe(429);
    // …while every other address is unaffected, and so is verification that names no address.
    expect((await call(notYetUsed.secret, "198.51.100.67")).status).toBe(200);
    expect((await verifyApiKey(invented())).ok).toBe(false);
    expect(await verifyApiKey(invented())).toMatchObject({ reason: "unknown" });
  });
});
