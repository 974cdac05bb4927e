import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { invalidate } from "@/lib/api-keys/key-events";
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

const legacyInvented = () => `MV_SECRET_${randomBytes(32).toString("hex")}`;

describe("unknown keys per IP", () => {
  it(`past ${env.UNKNOWN_KEYS_PER_IP_PER_MINUTE} unknown keys a minute, an address gets a 429 for unknown keys, and its valid keys keep working`, async () => {
    const user = await createTestUser();
    const [inUse, notYetUsed] = await Promise.all([createTestKey(user.id), createTestKey(user.id)]);
    const flooder = "198.51.100.66";
    expect((await call(inUse.secret, flooder)).status).toBe(200);

    for (let i = 0; i < env.UNKNOWN_KEYS_PER_IP_PER_MINUTE; i++) {
      const response = await call(i % 2 ? invented() : legacyInvented(), flooder);
      expect(response.status).toBe(401);
    }
    const repeated = invented();
    const throttled = await call(repeated, flooder);
    expect(throttled.status).toBe(429);
    expect(await throttled.json()).toMatchObject({ error: { code: "rate_limited", message: expect.stringMatching(/^Too many unknown API keys from this address\. Retry in \d+ s\.$/) } });
    // Blocked for the rest of the minute's window, and told so in seconds.
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(1);
    expect(Number(throttled.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    // Legacy keys carry no checksum, and get the same answer.
    expect((await call(legacyInvented(), flooder)).status).toBe(429);

    // A key already known to be unknown costs no database read at all.
    const reads = vi.spyOn(db, "$queryRaw");
    expect((await call(repeated, flooder)).status).toBe(429);
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();

    // A client behind the same address with a valid key is not punished: the key it was
    // using works, and so does a valid key that is not (or no longer) in the cache.
    expect((await call(inUse.secret, flooder)).status).toBe(200);
    invalidate({ kind: "key", id: inUse.key.id });
    expect((await call(inUse.secret, flooder)).status).toBe(200);
    expect((await call(notYetUsed.secret, flooder)).status).toBe(200);
    // Every other address is unaffected, and so is verification that names no address.
    expect((await call(invented(), "198.51.100.67")).status).toBe(401);
    expect(await verifyApiKey(invented())).toMatchObject({ ok: false, reason: "unknown" });
  });
});
