import { describe, expect, it } from "vitest";
import { ApiKeyError } from "@/lib/api-keys/errors";
import {
  allowlistWithin,
  assertExpiryAllowed,
  assertMayChange,
  assertMayGrant,
  assertMayRoll,
  callerKeyAccess,
  EXPIRING_SOON_MS,
  ipMayUseKey,
  isUsableState,
  KEY_STATES,
  keyDisplayStatus,
  keyState,
  loosens,
  MAX_KEY_LIFETIME_MS,
  missingScopes,
  normalizeRevokeReason,
  operatorRevokeReasonProblem,
  scopesInForce,
  type CallerKey,
  type KeyAccess,
} from "@/lib/api-keys/key-policy";
import { bearerChallenge, KEY_REFUSALS, OPERATION_REFUSALS } from "@/lib/api-keys/refusals";
import { ADMIN_ONLY_SCOPES, DEFAULT_SCOPES, isScope, SCOPE_NAMES } from "@/lib/api-keys/scopes";

const NOW = Date.UTC(2026, 11, 4, 12);
const now = new Date(NOW);
const HOUR = 3_600_000;
const at = (hours: number) => new Date(NOW + hours * HOUR);
const none = { revokedAt: null, expiresAt: null, graceEndsAt: null };

function refusal(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiKeyError);
    return (error as ApiKeyError).code;
  }
  return "allowed";
}

describe("keyState", () => {
  it("orders the rules: revoked, then expired, then a disabled owner, then grace", () => {
    expect(keyState(none, NOW)).toBe("active");
    expect(keyState({ ...none, graceEndsAt: at(1) }, NOW)).toBe("in_grace");
    expect(keyState({ ...none, graceEndsAt: at(0) }, NOW)).toBe("expired");
    expect(keyState({ ...none, expiresAt: at(0) }, NOW)).toBe("expired");
    expect(keyState({ ...none, expiresAt: at(1) }, NOW)).toBe("active");
    expect(keyState({ ...none, expiresAt: at(-1), ownerDisabled: true }, NOW)).toBe("expired");
    expect(keyState({ ...none, ownerDisabled: true }, NOW)).toBe("owner_disabled");
    expect(keyState({ ...none, graceEndsAt: at(1), ownerDisabled: true }, NOW)).toBe("owner_disabled");
    expect(keyState({ ...none, revokedAt: at(5), expiresAt: at(-1), ownerDisabled: true }, NOW)).toBe("revoked");
    expect(keyState({ revokedAt: NOW + 1, expiresAt: NOW + 5, graceEndsAt: null }, new Date(NOW))).toBe("revoked");
  });

  it("only active and in-grace keys are usable", () => {
    expect(KEY_STATES.filter(isUsableState)).toEqual(["active", "in_grace"]);
  });

  it("display status splits expiring soon from active at exactly EXPIRING_SOON_MS, and ignores the owner", () => {
    expect(keyDisplayStatus({ ...none, expiresAt: new Date(NOW + EXPIRING_SOON_MS) }, NOW)).toBe("expiring_soon");
    expect(keyDisplayStatus({ ...none, expiresAt: new Date(NOW + EXPIRING_SOON_MS + 1) }, NOW)).toBe("active");
    expect(keyDisplayStatus({ ...none, ownerDisabled: true }, NOW)).toBe("active");
    expect(keyDisplayStatus({ ...none, graceEndsAt: at(1), expiresAt: at(2) }, NOW)).toBe("in_grace");
    expect(keyDisplayStatus({ ...none, revokedAt: at(-1) }, now)).toBe("revoked");
  });
});

describe("scopes in force", () => {
  it("admin-only scopes count only while the owner is an admin", () => {
    expect(scopesInForce(["verify", "me:read"], "ADMIN")).toEqual(["verify", "me:read"]);
    expect(scopesInForce(["verify", "me:read"], "USER")).toEqual(["me:read"]);
    expect(missingScopes(["verify"], ["verify"], "USER")).toEqual(["verify"]);
    expect(missingScopes(["verify", "me:read"], ["verify", "me:read"], "ADMIN")).toEqual([]);
    expect(missingScopes(["keys:read", "me:read"], ["me:read"], "ADMIN")).toEqual(["keys:read"]);
  });

  it("a caller key's bounds are its snapshot's: scopes in force now, and a life that ends at its expiry or its grace, whichever is first", () => {
    const snapshot = { id: "k1", scopes: ["verify", "keys:write"], expiresAt: NOW, graceEndsAt: null, ipAllowlist: ["10.0.0.0/8"], rateLimitPerMinute: 7, owner: { role: "USER" as const }, team: null };
    expect(callerKeyAccess(snapshot)).toEqual({ id: "k1", scopes: ["keys:write"], expiresAt: new Date(NOW), ipAllowlist: ["10.0.0.0/8"], rateLimitPerMinute: 7 });
    expect(callerKeyAccess({ ...snapshot, graceEndsAt: NOW - HOUR }).expiresAt).toEqual(new Date(NOW - HOUR));
    expect(callerKeyAccess({ ...snapshot, expiresAt: null, graceEndsAt: NOW + HOUR }).expiresAt).toEqual(new Date(NOW + HOUR));
    expect(callerKeyAccess({ ...snapshot, expiresAt: null, owner: { role: "ADMIN" } })).toMatchObject({ expiresAt: null, scopes: ["verify", "keys:write"] });
  });
});

describe("IP allowlists", () => {
  it("an unrestricted key is usable from anywhere, a restricted one only from inside its blocks and never from an unknown address", () => {
    expect(ipMayUseKey([], null)).toBe(true);
    expect(ipMayUseKey([], undefined)).toBe(true);
    expect(ipMayUseKey(["203.0.113.0/24"], "203.0.113.9")).toBe(true);
    expect(ipMayUseKey(["203.0.113.0/24"], "203.0.114.9")).toBe(false);
    expect(ipMayUseKey(["203.0.113.0/24"], null)).toBe(false);
    expect(ipMayUseKey(["203.0.113.0/24"], undefined)).toBe(false);
  });

  it("one allowlist lies within another only block by block, family by family", () => {
    expect(allowlistWithin([], [])).toBe(true);
    expect(allowlistWithin(["10.1.0.0/16"], [])).toBe(true);
    expect(allowlistWithin([], ["10.0.0.0/8"])).toBe(false);
    expect(allowlistWithin(["10.1.0.0/16"], ["10.0.0.0/8"])).toBe(true);
    expect(allowlistWithin(["10.0.0.0/8"], ["10.0.0.0/8"])).toBe(true);
    expect(allowlistWithin(["10.0.0.0/7"], ["10.0.0.0/8"])).toBe(false);
    expect(allowlistWithin(["11.0.0.0/16"], ["10.0.0.0/8"])).toBe(false);
    expect(allowlistWithin(["10.1.0.0/16", "192.0.2.1/32"], ["10.0.0.0/8"])).toBe(false);
    expect(allowlistWithin(["10.1.0.0/16", "192.0.2.1/32"], ["10.0.0.0/8", "192.0.2.0/24"])).toBe(true);
    expect(allowlistWithin(["2001:db8:1::/48"], ["2001:db8::/32"])).toBe(true);
    expect(allowlistWithin(["2001:db9::/48"], ["2001:db8::/32"])).toBe(false);
    expect(allowlistWithin(["::/0"], ["0.0.0.0/0"])).toBe(false);
  });
});

const asCaller = (access: KeyAccess): CallerKey => ({ ...access, id: "caller", rateLimitPerMinute: null });

describe("what a caller may grant", () => {
  const access = (overrides: Partial<KeyAccess> = {}): KeyAccess => ({ scopes: ["me:read"], expiresAt: null, ipAllowlist: [], ...overrides });
  const caller = asCaller(access({ scopes: ["me:read", "keys:write"], expiresAt: at(24), ipAllowlist: ["10.0.0.0/8"] }));

  it("admin-only scopes need an admin owner, whoever asks", () => {
    expect(refusal(() => assertMayGrant({ ownerRole: "USER" }, access({ scopes: ["verify"] }), now))).toBe("forbidden_scope");
    expect(refusal(() => assertMayGrant({ ownerRole: "ADMIN" }, access({ scopes: ["verify"] }), now))).toBe("allowed");
  });

  it("an expiry is in the future and within five years", () => {
    expect(refusal(() => assertExpiryAllowed(now, now))).toBe("invalid_input");
    expect(refusal(() => assertExpiryAllowed(new Date(NOW + 1), now))).toBe("allowed");
    expect(refusal(() => assertExpiryAllowed(new Date(NOW + MAX_KEY_LIFETIME_MS), now))).toBe("allowed");
    expect(refusal(() => assertExpiryAllowed(new Date(NOW + MAX_KEY_LIFETIME_MS + 1), now))).toBe("invalid_input");
    expect(refusal(() => assertMayGrant({ ownerRole: "USER" }, access({ expiresAt: at(-1) }), now))).toBe("invalid_input");
  });

  it("a person (no calling key) may grant any non-admin scope, any allowed expiry, any allowlist", () => {
    expect(refusal(() => assertMayGrant({ ownerRole: "USER" }, access({ scopes: ["keys:write", "keys:read"] }), now))).toBe("allowed");
  });

  it("a calling key grants only within its scopes, its expiry and its allowlist", () => {
    const grant = (overrides: Partial<KeyAccess>) => refusal(() => assertMayGrant({ ownerRole: "USER", callerKey: caller }, access({ expiresAt: at(1), ipAllowlist: ["10.2.0.0/16"], ...overrides }), now));
    expect(grant({})).toBe("allowed");
    expect(grant({ scopes: ["keys:read"] })).toBe("forbidden_scope");
    expect(grant({ expiresAt: null })).toBe("forbidden_scope");
    expect(grant({ expiresAt: at(24) })).toBe("allowed");
    expect(grant({ expiresAt: at(25) })).toBe("forbidden_scope");
    expect(grant({ ipAllowlist: [] })).toBe("forbidden_scope");
    expect(grant({ ipAllowlist: ["192.0.2.0/24"] })).toBe("forbidden_scope");
    const unbounded = asCaller(access({ scopes: ["me:read", "keys:write"] }));
    expect(refusal(() => assertMayGrant({ ownerRole: "USER", callerKey: unbounded }, access(), now))).toBe("allowed");
  });

  it("a roll is judged as a grant of the replacement", () => {
    expect(refusal(() => assertMayRoll({ ownerRole: "USER", callerKey: asCaller(access({ scopes: ["keys:write"] })) }, access({ scopes: ["me:read"] }), now))).toBe("forbidden_scope");
    expect(refusal(() => assertMayRoll({ ownerRole: "USER", callerKey: asCaller(access({ scopes: ["keys:write", "me:read"] })) }, access({ scopes: ["me:read"] }), now))).toBe("allowed");
    expect(refusal(() => assertMayRoll({ ownerRole: "USER" }, access({ scopes: ["verify"] }), now))).toBe("forbidden_scope");
  });
});

describe("what a caller may loosen", () => {
  const current: KeyAccess = { scopes: ["keys:read", "me:read"], expiresAt: at(48), ipAllowlist: ["203.0.113.0/24"] };

  it("later, removed or unchanged expiries and wider or removed allowlists are loosenings; tighter ones are not", () => {
    expect(loosens(current, { expiresAt: at(49) })).toBe(true);
    expect(loosens(current, { expiresAt: null })).toBe(true);
    expect(loosens(current, { expiresAt: at(48) })).toBe(false);
    expect(loosens(current, { expiresAt: at(1) })).toBe(false);
    expect(loosens({ ...current, expiresAt: null }, { expiresAt: at(1) })).toBe(false);
    expect(loosens(current, { ipAllowlist: [] })).toBe(true);
    expect(loosens(current, { ipAllowlist: ["203.0.0.0/16"] })).toBe(true);
    expect(loosens(current, { ipAllowlist: ["203.0.113.7/32"] })).toBe(false);
    expect(loosens(current, { scopes: ["me:read"] })).toBe(false);
    expect(loosens(current, {})).toBe(false);
  });

  it("a key may not loosen a key holding scopes it lacks, but may tighten it", () => {
    const weak = asCaller({ scopes: ["keys:write"], expiresAt: null, ipAllowlist: [] });
    const change = (delta: Partial<KeyAccess>) => refusal(() => assertMayChange({ ownerRole: "USER", callerKey: weak }, current, delta, now));
    expect(change({ expiresAt: null })).toBe("forbidden_scope");
    expect(change({ ipAllowlist: [] })).toBe("forbidden_scope");
    expect(change({ expiresAt: at(2) })).toBe("allowed");
    expect(change({ ipAllowlist: ["203.0.113.7"] })).toBe("allowed");
    // Dropping a scope takes something away: a narrowing, allowed like revoking would be.
    expect(change({ scopes: ["keys:read"] })).toBe("allowed");
    expect(change({ scopes: ["keys:read", "me:read", "keys:write"] })).toBe("forbidden_scope");
  });

  it("a key may not give its scopes to a key less restricted than itself", () => {
    const bounded = asCaller({ scopes: ["keys:write", "me:read"], expiresAt: at(24), ipAllowlist: ["198.51.100.0/24"] });
    const open: KeyAccess = { scopes: ["me:read"], expiresAt: null, ipAllowlist: [] };
    const change = (target: KeyAccess, delta: Partial<KeyAccess>) => refusal(() => assertMayChange({ ownerRole: "USER", callerKey: bounded }, target, delta, now));
    expect(change(open, { scopes: ["keys:write", "me:read"] })).toBe("forbidden_scope");
    expect(change({ ...open, expiresAt: at(2) }, { scopes: ["keys:write", "me:read"] })).toBe("forbidden_scope");
    expect(change({ ...open, expiresAt: at(2), ipAllowlist: ["198.51.100.7/32"] }, { scopes: ["keys:write", "me:read"] })).toBe("allowed");
  });

  it("a key holding a scope its owner may no longer hold can only be narrowed", () => {
    const service: KeyAccess = { scopes: ["verify", "me:read"], expiresAt: at(10), ipAllowlist: ["10.0.0.0/8"] };
    const change = (delta: Partial<KeyAccess>, role: "USER" | "ADMIN" = "USER") => refusal(() => assertMayChange({ ownerRole: role }, service, delta, now));
    expect(change({ expiresAt: null })).toBe("forbidden_scope");
    expect(change({ ipAllowlist: [] })).toBe("forbidden_scope");
    expect(change({ expiresAt: at(1) })).toBe("allowed");
    expect(change({ expiresAt: null }, "ADMIN")).toBe("allowed");
  });

  it("a key holding every scope of the target may loosen it, within its own bounds", () => {
    const strong = asCaller({ scopes: ["keys:read", "me:read", "keys:write"], expiresAt: at(100), ipAllowlist: [] });
    const change = (delta: Partial<KeyAccess>) => refusal(() => assertMayChange({ ownerRole: "USER", callerKey: strong }, current, delta, now));
    expect(change({ expiresAt: at(90) })).toBe("allowed");
    expect(change({ expiresAt: at(101) })).toBe("forbidden_scope");
    expect(change({ expiresAt: null })).toBe("forbidden_scope");
    expect(change({ ipAllowlist: [] })).toBe("allowed");
  });

  it("the owner (no calling key) may change anything but admin-only scopes, and expiries stay valid", () => {
    const change = (delta: Partial<KeyAccess>, role: "USER" | "ADMIN" = "USER") => refusal(() => assertMayChange({ ownerRole: role }, current, delta, now));
    expect(change({ expiresAt: null, ipAllowlist: [] })).toBe("allowed");
    expect(change({ scopes: ["verify"] })).toBe("forbidden_scope");
    expect(change({ scopes: ["verify"] }, "ADMIN")).toBe("allowed");
    expect(change({ expiresAt: at(-1) })).toBe("invalid_input");
  });
});

describe("revoke reasons", () => {
  it("are stored without control characters, trimmed, at most 500 characters, or null", () => {
    expect(normalizeRevokeReason(" leaked\u0000in\nlogs ")).toBe("leaked in logs");
    expect(normalizeRevokeReason("   ")).toBeNull();
    expect(normalizeRevokeReason(null)).toBeNull();
    expect(normalizeRevokeReason(undefined)).toBeNull();
    expect(normalizeRevokeReason("x".repeat(600))).toHaveLength(500);
  });

  it("an operator (console or CLI) must say why in at least three characters and at most 500", () => {
    expect(operatorRevokeReasonProblem("no")).toMatch(/Say why/);
    expect(operatorRevokeReasonProblem(" \u0000\u0001 ")).toMatch(/Say why/);
    expect(operatorRevokeReasonProblem("leaked")).toBeNull();
    expect(operatorRevokeReasonProblem("x".repeat(500))).toBeNull();
    expect(operatorRevokeReasonProblem("x".repeat(501))).toMatch(/at most 500/);
  });
});

describe("the refusal table", () => {
  it("every key refusal has a status, a code, a verify code, and 401s challenge with invalid_token except a missing key", () => {
    for (const [reason, entry] of Object.entries(KEY_REFUSALS)) {
      expect(entry.verifyCode, reason).toBeDefined();
      if (entry.status === 401 && reason !== "missing") expect(bearerChallenge(entry)).toBe('Bearer realm="keyport", error="invalid_token"');
    }
    expect(bearerChallenge(KEY_REFUSALS.missing)).toBe('Bearer realm="keyport"');
    expect(bearerChallenge(KEY_REFUSALS.insufficient_scope)).toBe('Bearer realm="keyport", error="insufficient_scope"');
    expect(KEY_REFUSALS.revoked).toMatchObject({ status: 401, code: "revoked_key", verifyCode: "REVOKED" });
    expect(KEY_REFUSALS.ip_not_allowed).toMatchObject({ status: 403, code: "ip_not_allowed", verifyCode: "IP_NOT_ALLOWED" });
    expect(KEY_REFUSALS.unknown_keys_throttled).toMatchObject({ status: 429, code: "rate_limited" });
  });

  it("every refusal has a message a caller can act on", () => {
    for (const entry of [...Object.values(KEY_REFUSALS), ...Object.values(OPERATION_REFUSALS)]) expect(entry.message).toMatch(/^[A-Z].{10,}\.$/);
    expect(KEY_REFUSALS).toEqual({
      missing: { status: 401, code: "missing_key", message: "Send your API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.", verifyCode: "NOT_FOUND" },
      malformed: { status: 401, code: "malformed_key", message: "The API key is not in a valid format.", bearerError: "invalid_token", verifyCode: "NOT_FOUND" },
      unknown: { status: 401, code: "unknown_key", message: "The API key is not recognised.", bearerError: "invalid_token", verifyCode: "NOT_FOUND" },
      revoked: { status: 401, code: "revoked_key", message: "The API key has been revoked.", bearerError: "invalid_token", verifyCode: "REVOKED" },
      expired: { status: 401, code: "expired_key", message: "The API key has expired.", bearerError: "invalid_token", verifyCode: "EXPIRED" },
      owner_disabled: { status: 401, code: "owner_disabled", message: "The account that owns this API key is disabled.", bearerError: "invalid_token", verifyCode: "DISABLED" },
      team_suspended: { status: 401, code: "team_suspended", message: "The team that owns this API key is suspended.", bearerError: "invalid_token", verifyCode: "DISABLED" },
      insufficient_scope: { status: 403, code: "insufficient_scope", message: "The API key does not hold the scope this request needs.", bearerError: "insufficient_scope", verifyCode: "INSUFFICIENT_SCOPE" },
      ip_not_allowed: { status: 403, code: "ip_not_allowed", message: "The API key may not be used from this IP address.", verifyCode: "IP_NOT_ALLOWED" },
      unknown_keys_throttled: { status: 429, code: "rate_limited", message: "Too many unknown API keys from this address.", verifyCode: "RATE_LIMITED" },
    });
  });

  it("operation refusals map to their HTTP status and code", () => {
    expect(OPERATION_REFUSALS.not_found).toMatchObject({ status: 404, code: "not_found" });
    expect(OPERATION_REFUSALS.invalid_state).toMatchObject({ status: 409, code: "conflict" });
    expect(OPERATION_REFUSALS.limit_reached).toMatchObject({ status: 409, code: "limit_reached" });
    expect(OPERATION_REFUSALS.forbidden_scope).toMatchObject({ status: 403, code: "insufficient_scope" });
    expect(OPERATION_REFUSALS.invalid_input).toMatchObject({ status: 422, code: "validation_failed" });
  });
});

describe("the policy's constants and messages", () => {
  it("names its states, its thresholds and its admin-only and default scopes", () => {
    expect(KEY_STATES).toEqual(["active", "in_grace", "expired", "revoked", "owner_disabled", "team_suspended"]);
    expect(EXPIRING_SOON_MS).toBe(7 * 86_400_000);
    expect(MAX_KEY_LIFETIME_MS).toBe(5 * 365 * 86_400_000);
    expect(ADMIN_ONLY_SCOPES).toEqual(["verify"]);
    expect(DEFAULT_SCOPES).toEqual(["me:read"]);
    expect(SCOPE_NAMES.every(isScope)).toBe(true);
    expect(isScope("admin:everything")).toBe(false);
    expect(isScope("toString")).toBe(false);
  });

  it("every refusal says what was refused and why", () => {
    const message = (run: () => void) => {
      try {
        run();
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    };
    const bounded: CallerKey = { id: "c", scopes: ["me:read"], expiresAt: at(24), ipAllowlist: ["10.0.0.0/8"], rateLimitPerMinute: null };
    const access = (overrides: Partial<KeyAccess>): KeyAccess => ({ scopes: ["me:read"], expiresAt: at(1), ipAllowlist: ["10.0.0.0/8"], ...overrides });
    expect(message(() => assertMayGrant({ ownerRole: "USER" }, access({ scopes: ["verify"] }), now))).toBe("Only an admin can hold: verify.");
    expect(message(() => assertMayChange({ ownerRole: "USER" }, access({}), { scopes: ["verify"] }, now))).toBe("Only an admin can hold: verify.");
    expect(message(() => assertExpiryAllowed(at(-1), now))).toBe("The expiry must be in the future.");
    expect(message(() => assertExpiryAllowed(new Date(NOW + MAX_KEY_LIFETIME_MS + 1), now))).toBe("The expiry must be within five years.");
    expect(message(() => assertMayGrant({ ownerRole: "USER", callerKey: bounded }, access({ scopes: ["keys:read", "me:read"] }), now))).toBe("A key cannot grant scopes it does not hold: keys:read.");
    expect(message(() => assertMayGrant({ ownerRole: "USER", callerKey: bounded }, access({ expiresAt: null }), now))).toBe(`A key cannot give a key a later expiry than its own (${at(24).toISOString()}).`);
    expect(message(() => assertMayGrant({ ownerRole: "USER", callerKey: bounded }, access({ ipAllowlist: [] }), now))).toBe("A key with an IP allowlist cannot give a key a wider one.");
    expect(message(() => assertMayChange({ ownerRole: "USER", callerKey: bounded }, access({ scopes: ["keys:read"] }), { expiresAt: at(2) }, now))).toBe("A key cannot widen a key with scopes it does not hold: keys:read.");
    expect(message(() => assertMayChange({ ownerRole: "USER" }, access({ scopes: ["verify"] }), { expiresAt: at(2) }, now))).toBe("This key holds verify, which its owner may no longer hold: it can only be narrowed or revoked.");
  });

  it("an operator's reason is long enough at three characters, and its limit is on the trimmed text", () => {
    expect(operatorRevokeReasonProblem("abc")).toBeNull();
    expect(operatorRevokeReasonProblem("ab")).not.toBeNull();
    expect(operatorRevokeReasonProblem(`${"x".repeat(500)}   `)).toBeNull();
  });
});
