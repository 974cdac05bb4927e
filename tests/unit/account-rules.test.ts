import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { assertMayCreateKeys } from "@/lib/api-keys/key-policy";
import { OPERATION_REFUSALS } from "@/lib/api-keys/refusals";
import { hashUserToken, isWellFormedUserToken, TOKEN_LIFETIME_MS } from "@/lib/users/user-tokens";

describe("the key policy's account rule", () => {
  const verified = { emailVerifiedAt: new Date(), deletedAt: null };
  const unverified = { emailVerifiedAt: null, deletedAt: null };

  it("an unverified account may not create keys while verification is required, and may when it is not", () => {
    expect(() => assertMayCreateKeys(unverified, true)).toThrow(expect.objectContaining({ code: "email_unverified" }));
    expect(() => assertMayCreateKeys(unverified, false)).not.toThrow();
    expect(() => assertMayCreateKeys(verified, true)).not.toThrow();
  });

  it("a deleted account may create nothing, verified or not, required or not", () => {
    for (const required of [true, false]) {
      expect(() => assertMayCreateKeys({ ...verified, deletedAt: new Date() }, required)).toThrow(expect.objectContaining({ code: "not_found" }));
    }
  });

  it("the refusal is a 403 with its own code, which every path answers", () => {
    expect(OPERATION_REFUSALS.email_unverified).toEqual({ status: 403, code: "email_unverified", message: "Verify your email address before creating keys." });
  });
});

describe("mailed tokens", () => {
  it("are stored as their SHA-256 (hex), never as themselves", () => {
    const token = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
    expect(hashUserToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
    expect(hashUserToken(token)).not.toContain(token);
  });

  it("only 43 URL-safe characters are a token; anything else is dropped before a database read", () => {
    expect(isWellFormedUserToken("A".repeat(43))).toBe(true);
    expect(isWellFormedUserToken("A-_".repeat(14) + "z")).toBe(true);
    for (const bad of ["A".repeat(42), "A".repeat(44), `${"A".repeat(42)}=`, `${"A".repeat(42)}/`, "", null, undefined, 42]) expect(isWellFormedUserToken(bad)).toBe(false);
  });

  it("a verification link lasts a day and a reset link half an hour", () => {
    expect(TOKEN_LIFETIME_MS).toEqual({ verify_email: 86_400_000, change_email: 86_400_000, reset_password: 1_800_000 });
  });
});
