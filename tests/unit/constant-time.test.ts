import { afterEach, describe, expect, it, vi } from "vitest";

// crypto.timingSafeEqual is wrapped so the test can see that the checksum and the
// header comparison go through it rather than through ===.
vi.mock("node:crypto", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:crypto")>();
  return { ...original, default: original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const crypto = await import("node:crypto");
const { generateApiKey, parseApiKey } = await import("@/lib/api-keys/key-format");
const { readPresentedKey } = await import("@/lib/api/read-presented-key");

describe("constant-time comparison", () => {
  afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

  it("the checksum of a presented key is compared with timingSafeEqual", () => {
    parseApiKey(generateApiKey("kp", "live").secret, "kp");
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(1);
  });

  it("Authorization and X-API-Key are compared with timingSafeEqual when both are sent", () => {
    const { secret } = generateApiKey("kp", "live");
    const headers = new Headers({ authorization: `Bearer ${secret}`, "x-api-key": secret });
    expect(readPresentedKey(headers)).toBe(secret);
    expect(crypto.timingSafeEqual).toHaveBeenCalled();
  });
});
