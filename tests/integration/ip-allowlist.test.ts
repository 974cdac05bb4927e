import { describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/v1/me/route";
import { PATCH } from "@/app/api/v1/keys/[id]/route";
import { isIpAllowed, parseAllowlist } from "@/lib/api-keys/ip-allowlist";
import { createTestKey, createTestUser } from "../helpers/factories";

const call = (secret: string, forwardedFor?: string) =>
  me(
    new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${secret}`, ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) } }),
    { params: Promise.resolve({}) },
  );

describe("per-key IP allowlists", () => {
  it("parses IPv4 and IPv6 blocks and bare addresses, and refuses anything else with a message", () => {
    expect(parseAllowlist("10.0.0.0/8, 2001:DB8::/32\n192.0.2.7")).toEqual({ ok: true, cidrs: ["10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32"] });
    expect(parseAllowlist("")).toEqual({ ok: true, cidrs: [] });
    for (const bad of ["10.0.0.0/33", "10.0.0/8", "::1/129", "example.com", "10.0.0.1/8/1", "10.0.0.1/-1", "10.0.0.1/ 8"]) {
      expect(parseAllowlist(bad).ok, bad).toBe(false);
    }
  });

  it("matches addresses inside the blocks, IPv4-mapped IPv6 as IPv4, and nothing when the IP is unknown", () => {
    const cidrs = ["10.0.0.0/8", "2001:db8::/32"];
    expect(isIpAllowed(cidrs, "10.200.3.4")).toBe(true);
    expect(isIpAllowed(cidrs, "::ffff:10.1.1.1")).toBe(true);
    expect(isIpAllowed(cidrs, "2001:db8:1::5")).toBe(true);
    expect(isIpAllowed(cidrs, "11.0.0.1")).toBe(false);
    expect(isIpAllowed(cidrs, "2001:db9::1")).toBe(false);
    expect(isIpAllowed(cidrs, null)).toBe(false);
    expect(isIpAllowed(cidrs, "not an ip")).toBe(false);
    expect(isIpAllowed([], null)).toBe(true);
  });

  it("a call from outside the list gets 403 ip_not_allowed; inside works; set through PATCH /api/v1/keys/{id}", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id, { scopes: ["me:read", "keys:write"] });
    const patch = await PATCH(
      new Request(`http://localhost/api/v1/keys/${key.id}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({ ipAllowlist: ["203.0.113.0/24", "2001:db8::/32"] }),
      }),
      { params: Promise.resolve({ id: key.id }) },
    );
    expect(patch.status).toBe(200);
    expect((await patch.json()).ipAllowlist).toEqual(["203.0.113.0/24", "2001:db8::/32"]);

    expect((await call(secret, "203.0.113.9")).status).toBe(200);
    expect((await call(secret, "2001:db8::42")).status).toBe(200);
    const outside = await call(secret, "198.51.100.1");
    expect(outside.status).toBe(403);
    expect(await outside.json()).toEqual({ error: { code: "ip_not_allowed", message: expect.any(String) } });
    // The address nearest to us decides: a client-claimed entry before it does not help.
    expect((await call(secret, "203.0.113.9, 198.51.100.1")).status).toBe(403);
    expect((await call(secret)).status).toBe(403);
  });
});
