import { describe, expect, it } from "vitest";
import {
  checksumOf,
  constantTimeEqual,
  displayStart,
  generateApiKey,
  hashApiKey,
  keyPattern,
  parseApiKey,
} from "@/lib/api-keys/key-format";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

describe("key format", () => {
  it("a generated key matches the published regex for its prefix and environment", () => {
    const live = generateApiKey("kp", "live");
    const test = generateApiKey("kp", "test");
    expect(live.secret).toMatch(/^kp_live_[0-9A-Za-z]{38}$/);
    expect(test.secret).toMatch(/^kp_test_[0-9A-Za-z]{38}$/);
    expect(keyPattern("kp").test(live.secret)).toBe(true);
  });

  it("two generated keys never repeat and carry at least 160 random bits", () => {
    const secrets = new Set(Array.from({ length: 2_000 }, () => generateApiKey("kp", "live").secret));
    expect(secrets.size).toBe(2_000);
    // 32 base62 characters: log2(62^32) ≈ 190 bits.
    expect(32 * Math.log2(62)).toBeGreaterThan(160);
  });

  it("random characters are spread over the whole base62 alphabet", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2_000; i++) {
      for (const char of generateApiKey("kp", "live").secret.slice(8, 40)) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    const expected = (2_000 * 32) / 62;
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.2);
  });

  it("the checksum is the CRC32 of the rest as 6 base62 characters", () => {
    const { secret } = generateApiKey("kp", "live");
    expect(secret.slice(-6)).toBe(checksumOf(secret.slice(0, -6)));
    expect(checksumOf("")).toBe("000000");
  });

  it("stores only SHA-256 hex of the whole key and a display start", () => {
    const generated = generateApiKey("kp", "live");
    expect(generated.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(generated.hash).toBe(hashApiKey(generated.secret));
    expect(generated.hash).not.toContain(generated.secret.slice(8, 20));
    expect(generated.start).toBe(generated.secret.slice(0, 12));
    expect(displayStart(generated.secret)).toMatch(/^kp_live_[0-9A-Za-z]{4}$/);
  });
});

describe("parseApiKey", () => {
  const { secret } = generateApiKey("kp", "live");

  it("accepts a generated key and reports its environment", () => {
    expect(parseApiKey(secret, "kp")).toEqual({ ok: true, prefix: "kp", environment: "live", legacy: false });
    expect(parseApiKey(generateApiKey("kp", "test").secret, "kp")).toMatchObject({ ok: true, environment: "test" });
  });

  it("refuses a key with any single character changed (the checksum catches typos)", () => {
    let caught = 0;
    for (let position = 8; position < secret.length; position++) {
      const replacement = BASE62[(BASE62.indexOf(secret[position]) + 1) % 62];
      const tampered = secret.slice(0, position) + replacement + secret.slice(position + 1);
      if (!parseApiKey(tampered, "kp").ok) caught++;
    }
    expect(caught).toBe(secret.length - 8);
  });

  it("refuses truncated, extended, case-flipped and re-prefixed keys", () => {
    expect(parseApiKey(secret.slice(0, -1), "kp").ok).toBe(false);
    expect(parseApiKey(`${secret}a`, "kp").ok).toBe(false);
    expect(parseApiKey(secret.toUpperCase(), "kp").ok).toBe(false);
    expect(parseApiKey(secret.replace("kp_", "xx_"), "kp").ok).toBe(false);
    expect(parseApiKey(secret, "other").ok).toBe(false);
    expect(parseApiKey(secret.replace("_live_", "_prod_"), "kp").ok).toBe(false);
  });

  it("refuses non-strings, empty, oversized and control-character input without throwing", () => {
    for (const candidate of [undefined, null, 42, {}, "", " ", "x".repeat(16_384), `${secret}\u0000`, `\u200b${secret}`]) {
      expect(parseApiKey(candidate, "kp").ok).toBe(false);
    }
  });

  it("recognises the tutorial's legacy keys by shape", () => {
    expect(parseApiKey(`MV_SECRET_${"ab".repeat(32)}`, "kp")).toMatchObject({ ok: true, legacy: true });
    expect(parseApiKey(`MV_SECRET_${"AB".repeat(32)}`, "kp").ok).toBe(false);
  });
});

describe("constantTimeEqual", () => {
  it("compares by content and length", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
  });
});
