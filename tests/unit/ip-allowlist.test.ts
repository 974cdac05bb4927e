import { describe, expect, it } from "vitest";
import { isIpAllowed, MAX_ALLOWLIST_ENTRIES, parseAllowlist } from "@/lib/api-keys/ip-allowlist";

describe("parseAllowlist", () => {
  it("reads blocks separated by commas, spaces or lines, a bare address as a single-address block", () => {
    expect(parseAllowlist("10.0.0.0/8,,  192.0.2.7\n2001:db8::/32")).toEqual({ ok: true, cidrs: ["10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"] });
    expect(parseAllowlist("2001:db8::1")).toEqual({ ok: true, cidrs: ["2001:db8::1/128"] });
    expect(parseAllowlist("10.0.0.0/8 10.0.0.0/8")).toEqual({ ok: true, cidrs: ["10.0.0.0/8"] });
  });

  it(`takes at most ${MAX_ALLOWLIST_ENTRIES} entries`, () => {
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => `10.0.${i}.0/24`).join(" ");
    expect(parseAllowlist(blocks(MAX_ALLOWLIST_ENTRIES)).ok).toBe(true);
    expect(parseAllowlist(blocks(MAX_ALLOWLIST_ENTRIES + 1))).toEqual({ ok: false, message: `Use at most ${MAX_ALLOWLIST_ENTRIES} entries.` });
  });

  it("refuses what is not an address or a block, naming it", () => {
    for (const bad of ["10.0.0.0/33", "2001:db8::/129", "10.0.0.0/8/1", "10.0.0.0/-1", "10.0.0.0/1.5", "10.0.0.0/ 8", "10.0.0.0/0008", "10.0.0.0/x8", "10.0.0.0/8x", "example.com", "300.1.1.1"]) {
      const parsed = parseAllowlist(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.message, bad).toContain(`“${bad.split(" ")[0]}” is not an IP address or CIDR block`);
    }
    expect(parseAllowlist("2001:db8::/128").ok).toBe(true);
    expect(parseAllowlist("10.0.0.0/32").ok).toBe(true);
    expect(parseAllowlist("10.0.0.0/0").ok).toBe(true);
    const long = parseAllowlist("x".repeat(100));
    expect(!long.ok && long.message).toContain(`“${"x".repeat(60)}”`);
  });
});

describe("isIpAllowed", () => {
  it("matches IPv4-mapped IPv6 as the IPv4 address it carries, and nothing else that looks like one", () => {
    expect(isIpAllowed(["10.0.0.0/8"], "::ffff:10.1.2.3")).toBe(true);
    expect(isIpAllowed(["10.0.0.0/8"], "::FFFF:10.1.2.3")).toBe(true);
    expect(isIpAllowed(["10.0.0.0/8"], "::ffff:11.1.2.3")).toBe(false);
    expect(isIpAllowed(["10.0.0.0/8"], "1::ffff:10.1.2.3")).toBe(false);
    expect(isIpAllowed(["10.0.0.0/8"], "::ffff:10.1.2.3x")).toBe(false);
    expect(isIpAllowed(["100.0.0.0/8"], "::ffff:100.200.210.220")).toBe(true);
  });

  it("an empty list allows anyone; a list allows no unknown or invalid address", () => {
    expect(isIpAllowed([], null)).toBe(true);
    expect(isIpAllowed(["10.0.0.0/8"], null)).toBe(false);
    expect(isIpAllowed(["10.0.0.0/8"], "")).toBe(false);
    expect(isIpAllowed(["10.0.0.0/8"], "not-an-ip")).toBe(false);
    expect(isIpAllowed(["2001:db8::/32"], "2001:db8::5")).toBe(true);
    expect(isIpAllowed(["2001:db8::/32"], "2001:db9::5")).toBe(false);
  });

  it("the same list answers the same every time (its compiled form is reused)", () => {
    const list = ["192.0.2.0/24"];
    expect([isIpAllowed(list, "192.0.2.1"), isIpAllowed(list, "192.0.3.1"), isIpAllowed(list, "192.0.2.255")]).toEqual([true, false, true]);
  });
});
