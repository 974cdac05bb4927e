import { ApiKeyError } from "./errors";
import { isIpAllowed } from "./ip-allowlist";
import { ADMIN_ONLY_SCOPES } from "./scopes";

/**
 * The key policy: every rule about a key lives here, and every path asks it — verification,
 * the dashboard's actions, /api/v1, the verify endpoint, the admin console and the CLI. A
 * rule written again at an edge is how copies drift apart and promises break, so nothing
 * outside this file compares `revokedAt` with a clock, checks an admin-only scope, or
 * decides what a caller may grant.
 */

// ---------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------

/**
 * How a key stands for authentication. Only `active` and `in_grace` authenticate.
 * `owner_disabled` applies to personal keys only (the holder's account is disabled);
 * `team_suspended` to team keys only (the team is suspended or deleted). A team key never
 * depends on the account of the person who created it.
 */
export type KeyState = "active" | "in_grace" | "expired" | "revoked" | "owner_disabled" | "team_suspended";

export const KEY_STATES: readonly KeyState[] = ["active", "in_grace", "expired", "revoked", "owner_disabled", "team_suspended"];

type Instant = Date | number | null;

export interface KeyStateFields {
  revokedAt: Instant;
  expiresAt: Instant;
  graceEndsAt: Instant;
  /** Omitted where the owner is known to be enabled (the owner is looking at their own keys). Personal keys only. */
  ownerDisabled?: boolean;
  /** The owning team is suspended or deleted. Team keys only. */
  teamSuspended?: boolean;
}

/**
 * What a key's state depends on besides itself: for a personal key its holder's account,
 * for a team key its team, and never the account of the team key's creator (who may leave,
 * be removed, disabled or deleted without the key noticing).
 */
export function holderFields(key: { team: { suspended: boolean } | null; ownerDisabled: boolean }): Pick<KeyStateFields, "ownerDisabled" | "teamSuspended"> {
  return key.team ? { ownerDisabled: false, teamSuspended: key.team.suspended } : { ownerDisabled: key.ownerDisabled, teamSuspended: false };
}

const ms = (instant: Instant) => (instant === null ? null : typeof instant === "number" ? instant : instant.getTime());

/**
 * A key's state at `now`. A revoked key is revoked whatever the clocks say: a non-null
 * `revokedAt` is enough, so an instance whose clock runs behind the one that revoked the
 * key cannot accept it "before" the revoke. Expiry and grace are judged against `now` at
 * every call, so a cached snapshot still stops at its expiry instant.
 */
export function keyState(key: KeyStateFields, now: Date | number = Date.now()): KeyState {
  const at = typeof now === "number" ? now : now.getTime();
  if (key.revokedAt !== null) return "revoked";
  const expiresAt = ms(key.expiresAt);
  const graceEndsAt = ms(key.graceEndsAt);
  if ((expiresAt !== null && expiresAt <= at) || (graceEndsAt !== null && graceEndsAt <= at)) return "expired";
  if (key.teamSuspended) return "team_suspended";
  if (key.ownerDisabled) return "owner_disabled";
  return graceEndsAt !== null ? "in_grace" : "active";
}

/** Whether a key in this state authenticates. */
export function isUsableState(state: KeyState): boolean {
  return state === "active" || state === "in_grace";
}

const notExpired = (now: Date) => [
  { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
  { OR: [{ graceEndsAt: null }, { graceEndsAt: { gt: now } }] },
];
// A key's holder lets it work: a personal key's owner is enabled (neither disabled nor deleted),
// a team key's team is neither suspended nor deleted.
const ownerEnabled = {
  OR: [
    { teamId: null, owner: { is: { disabledAt: null, deletedAt: null } } },
    { team: { is: { suspendedAt: null, deletedAt: null } } },
  ],
};
const ownerDisabled = { teamId: null, owner: { is: { OR: [{ disabledAt: { not: null } }, { deletedAt: { not: null } }] } } };
const teamSuspended = { team: { is: { OR: [{ suspendedAt: { not: null } }, { deletedAt: { not: null } }] } } };

/**
 * keyState() as a Prisma where clause on ApiKey, rule for rule (tests/integration/key-state.property.test.ts
 * checks on a real database that each clause selects exactly the keys keyState() gives
 * that state).
 */
export function keyStateWhere(state: KeyState, now: Date) {
  switch (state) {
    case "revoked":
      return { revokedAt: { not: null } };
    case "expired":
      return { revokedAt: null, OR: [{ expiresAt: { lte: now } }, { graceEndsAt: { lte: now } }] };
    case "owner_disabled":
      return { revokedAt: null, AND: [...notExpired(now), ownerDisabled] };
    case "team_suspended":
      return { revokedAt: null, AND: [...notExpired(now), teamSuspended] };
    case "in_grace":
      return { revokedAt: null, graceEndsAt: { not: null }, AND: [...notExpired(now), ownerEnabled] };
    case "active":
      return { revokedAt: null, graceEndsAt: null, AND: [...notExpired(now), ownerEnabled] };
  }
}

/** Keys that authenticate now (active or in grace): the keys that count towards a cap. */
export function usableKeyWhere(now: Date) {
  return { revokedAt: null, AND: [...notExpired(now), ownerEnabled] };
}

/** Keys whose own state authenticates (active or in grace), whatever their owner's account. */
export function keyItselfUsableWhere(now: Date) {
  return { revokedAt: null, AND: notExpired(now) };
}

/** A key within this long of its expiry is "expiring soon" on the dashboard. */
export const EXPIRING_SOON_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * What the dashboard, the admin console and the API's `status` field show: the key's own
 * state (its owner's account is shown separately), with "expiring soon" split from active.
 */
export type KeyDisplayStatus = "active" | "expiring_soon" | "in_grace" | "expired" | "revoked";

export function keyDisplayStatus(key: KeyStateFields, now: Date | number = Date.now()): KeyDisplayStatus {
  const at = typeof now === "number" ? now : now.getTime();
  const state = keyState({ ...key, ownerDisabled: false, teamSuspended: false }, at);
  if (state === "active") {
    const expiresAt = ms(key.expiresAt);
    if (expiresAt !== null && expiresAt - at <= EXPIRING_SOON_MS) return "expiring_soon";
  }
  return state as KeyDisplayStatus;
}

/** keyDisplayStatus() as a where clause, so a console filter shows exactly the keys with that badge. */
export function keyDisplayStatusWhere(status: KeyDisplayStatus, now: Date) {
  const soon = new Date(now.getTime() + EXPIRING_SOON_MS);
  switch (status) {
    case "revoked":
    case "expired":
      return keyStateWhere(status, now);
    case "in_grace":
      return { revokedAt: null, graceEndsAt: { not: null }, AND: notExpired(now) };
    case "expiring_soon":
      return { revokedAt: null, graceEndsAt: null, expiresAt: { gt: now, lte: soon } };
    case "active":
      return { revokedAt: null, graceEndsAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: soon } }] };
  }
}

// ---------------------------------------------------------------------------------------
// Scopes in force
// ---------------------------------------------------------------------------------------

export type OwnerRole = "USER" | "ADMIN";

/**
 * The site role a key's admin-only scopes are judged on: its owner's for a personal key.
 * A team key never holds admin-only scopes (assertMayGrant refuses them), and if one came
 * to hold one it would not count: a site admin's power must not outlive them inside a team.
 */
export function keyHolderRole(key: { team: unknown; owner: { role: OwnerRole } }): OwnerRole {
  return key.team ? "USER" : key.owner.role;
}

/**
 * The scopes a key holds at this moment. Admin-only scopes (`verify`) count only while the
 * owner is an admin now, not merely when the scope was granted: a demoted admin's service
 * key stops verifying at once.
 */
export function scopesInForce(scopes: readonly string[], ownerRole: OwnerRole): string[] {
  return ownerRole === "ADMIN" ? [...scopes] : scopes.filter((scope) => !ADMIN_ONLY_SCOPES.includes(scope));
}

/**
 * A service key: one that holds `verify` now. Another backend calls POST /api/v1/verify with
 * it once for every request that backend gets, strangers' requests with made-up keys
 * included, so those calls' default rate limit is SERVICE_KEY_RATE_LIMIT_PER_MINUTE: at a
 * developer key's default, anyone could spend it and make that backend refuse everyone.
 */
export function isServiceKey(key: { scopes: readonly string[]; team: unknown; owner: { role: OwnerRole } }): boolean {
  return scopesInForce(key.scopes, keyHolderRole(key)).includes("verify");
}

/** The scopes of `required` that the key does not hold now. */
export function missingScopes(required: readonly string[], scopes: readonly string[], ownerRole: OwnerRole): string[] {
  const held = scopesInForce(scopes, ownerRole);
  return required.filter((scope) => !held.includes(scope));
}

/** Whether a request from `ip` may use a key with this allowlist (no `ip`: only an unrestricted key). */
export function ipMayUseKey(ipAllowlist: readonly string[], ip: string | null | undefined): boolean {
  return isIpAllowed(ipAllowlist, ip ?? null);
}

// ---------------------------------------------------------------------------------------
// What a caller may grant or loosen
// ---------------------------------------------------------------------------------------

/** The longest a key may live: five years from the moment it is given its expiry. */
export const MAX_KEY_LIFETIME_MS = 5 * 365 * 24 * 60 * 60 * 1000;

/** A key's access: what a grant or a change is judged on. */
export interface KeyAccess {
  scopes: readonly string[];
  expiresAt: Date | null;
  /** CIDR blocks; empty: any address. */
  ipAllowlist: readonly string[];
}

/**
 * Who is asking. A signed-in person (dashboard) or an operator (CLI, console) acts with
 * the owner's rights; a key acting through /api/v1 is bounded by itself as well, so a
 * key can never mint, roll or loosen a key into something more than it is.
 */
export interface Grantor {
  /** The owner's role now (admin-only scopes need an admin owner). */
  ownerRole: OwnerRole;
  /** The calling key, when the change comes through /api/v1. */
  callerKey?: CallerKey;
  /** The key is (or becomes) a team key: it may not hold admin-only scopes. */
  teamKey?: boolean;
}

/** A key acting through /api/v1, as the policy bounds it. */
export interface CallerKey extends KeyAccess {
  id: string;
  /** The admin's per-key limit, which the keys it creates inherit; null: the default. */
  rateLimitPerMinute: number | null;
}

function refuse(message: string): never {
  throw new ApiKeyError("forbidden_scope", message);
}

/** Whether every block of `inner` lies inside a block of `outer` (an empty `outer` holds everything). */
export function allowlistWithin(inner: readonly string[], outer: readonly string[]): boolean {
  if (outer.length === 0) return true;
  if (inner.length === 0) return false;
  // A block lies inside another when its first address does and it is no wider than it.
  return inner.every((cidr) => {
    const [address, bits] = splitBlock(cidr);
    return outer.some((block) => splitBlock(block)[1] <= bits && isIpAllowed([block], address));
  });
}

/** "10.0.0.0/8" -> ["10.0.0.0", 8]; a bare address is a single-address block. */
function splitBlock(cidr: string): [string, number] {
  const [address, prefix] = cidr.split("/");
  return [address, prefix === undefined ? (address.includes(":") ? 128 : 32) : Number(prefix)];
}

/**
 * Refuses a key that `grantor` may not bring into being (a create, or the result of a roll):
 * - admin-only scopes need an owner who is an admin now;
 * - an expiry is in the future and at most MAX_KEY_LIFETIME_MS away;
 * - a calling key may grant only scopes it holds, no later expiry than its own, and no
 *   wider allowlist than its own.
 */
export function assertMayGrant(grantor: Grantor, access: KeyAccess, now: Date = new Date()) {
  const adminOnly = access.scopes.filter((scope) => ADMIN_ONLY_SCOPES.includes(scope));
  if (adminOnly.length && grantor.teamKey) refuse(`A team key cannot hold: ${adminOnly.join(", ")}.`);
  if (adminOnly.length && grantor.ownerRole !== "ADMIN") refuse(`Only an admin can hold: ${adminOnly.join(", ")}.`);
  if (access.expiresAt !== null) assertExpiryAllowed(access.expiresAt, now);
  if (grantor.callerKey) assertWithinCaller(grantor.callerKey, access);
}

export function assertExpiryAllowed(expiresAt: Date, now: Date = new Date()) {
  if (expiresAt.getTime() <= now.getTime()) throw new ApiKeyError("invalid_input", "The expiry must be in the future.");
  if (expiresAt.getTime() > now.getTime() + MAX_KEY_LIFETIME_MS) {
    throw new ApiKeyError("invalid_input", "The expiry must be within five years.");
  }
}

/** Whether `next` is looser than `current` in any restriction: later or no expiry, wider allowlist. */
export function loosens(current: KeyAccess, next: Partial<KeyAccess>): boolean {
  if (next.expiresAt !== undefined && current.expiresAt !== null && (next.expiresAt === null || next.expiresAt > current.expiresAt)) return true;
  if (next.ipAllowlist !== undefined && !allowlistWithin(next.ipAllowlist, current.ipAllowlist)) return true;
  return false;
}

/** Whether a change gives a key more than it has: a new scope, a later or no expiry, a wider allowlist. */
export function widens(current: KeyAccess, change: Partial<KeyAccess>): boolean {
  return Boolean(change.scopes?.some((scope) => !current.scopes.includes(scope))) || loosens(current, change);
}

/**
 * Refuses a change `grantor` may not make to an existing key. Narrowing (fewer scopes, an
 * earlier expiry, a tighter allowlist) takes nothing from anyone and is always allowed. A
 * change that widens a key is judged on the key it produces, as a new key would be:
 * - a key holding a scope its owner may not hold now (a demoted admin's `verify`) can only
 *   be narrowed or revoked;
 * - a calling key may widen a key only into one within its own bounds: every scope of the
 *   result held by the caller, an expiry no later than the caller's, an allowlist within
 *   the caller's. So a key cannot loosen a key holding scopes it lacks, nor hand its own
 *   scopes to a key less restricted than itself.
 */
export function assertMayChange(grantor: Grantor, current: KeyAccess, change: Partial<KeyAccess>, now: Date = new Date()) {
  if (change.scopes) {
    const adminOnly = change.scopes.filter((scope) => ADMIN_ONLY_SCOPES.includes(scope));
    if (adminOnly.length && grantor.teamKey) refuse(`A team key cannot hold: ${adminOnly.join(", ")}.`);
    if (adminOnly.length && grantor.ownerRole !== "ADMIN") refuse(`Only an admin can hold: ${adminOnly.join(", ")}.`);
  }
  if (change.expiresAt) assertExpiryAllowed(change.expiresAt, now);
  if (!widens(current, change)) return;
  const result: KeyAccess = {
    scopes: change.scopes ?? current.scopes,
    expiresAt: change.expiresAt !== undefined ? change.expiresAt : current.expiresAt,
    ipAllowlist: change.ipAllowlist ?? current.ipAllowlist,
  };
  const dormant = result.scopes.filter((scope) => ADMIN_ONLY_SCOPES.includes(scope));
  if (dormant.length && grantor.ownerRole !== "ADMIN") {
    refuse(`This key holds ${dormant.join(", ")}, which its owner may no longer hold: it can only be narrowed or revoked.`);
  }
  const caller = grantor.callerKey;
  if (!caller) return;
  const stronger = result.scopes.filter((scope) => !caller.scopes.includes(scope));
  if (stronger.length) refuse(`A key cannot widen a key with scopes it does not hold: ${stronger.join(", ")}.`);
  assertWithinCaller(caller, result);
}

/** A key the caller brings into being must be within its own bounds: its scopes, its expiry, its allowlist. */
function assertWithinCaller(caller: KeyAccess, access: KeyAccess) {
  const beyond = access.scopes.filter((scope) => !caller.scopes.includes(scope));
  if (beyond.length) refuse(`A key cannot grant scopes it does not hold: ${beyond.join(", ")}.`);
  if (caller.expiresAt !== null && (access.expiresAt === null || access.expiresAt > caller.expiresAt)) {
    refuse(`A key cannot give a key a later expiry than its own (${caller.expiresAt.toISOString()}).`);
  }
  if (!allowlistWithin(access.ipAllowlist, caller.ipAllowlist)) refuse("A key with an IP allowlist cannot give a key a wider one.");
}

/**
 * Refuses a roll `grantor` may not make. The new key carries every restriction of the old
 * one (scopes, allowlist, rate limit, environment, and its expiry unless a new one is
 * chosen), so a roll is judged as a grant of that key: a key cannot roll a key with scopes
 * it lacks, and nobody can renew an admin-only scope the owner no longer qualifies for.
 */
export function assertMayRoll(grantor: Grantor, replacement: KeyAccess, now: Date = new Date()) {
  assertMayGrant(grantor, replacement, now);
}

// ---------------------------------------------------------------------------------------
// The owner's account
// ---------------------------------------------------------------------------------------

/**
 * While REQUIRE_EMAIL_VERIFICATION is on, an account whose address nobody has proved may
 * sign in but not bring a key into being: through the dashboard, /api/v1 (with a key it held
 * before) or the CLI alike, since all of them create through createApiKey, which asks here.
 */
export function assertMayCreateKeys(owner: { emailVerifiedAt: Date | null; deletedAt: Date | null }, requireVerification: boolean) {
  // A deleted account's keys are being revoked; it can make no new one, whoever asks.
  if (owner.deletedAt !== null) throw new ApiKeyError("not_found", "No such user.");
  if (requireVerification && owner.emailVerifiedAt === null) {
    throw new ApiKeyError("email_unverified", "Verify your email address before creating keys: open the link we mailed you, or send a new one from the dashboard.");
  }
}

// ---------------------------------------------------------------------------------------
// Revoke reasons
// ---------------------------------------------------------------------------------------

export const REVOKE_REASON_MAX = 500;

/**
 * A revoke reason as it is stored and shown to the owner: control characters (NUL above
 * all, which PostgreSQL refuses) become spaces, trimmed, at most 500 characters. The
 * console and the CLI insist on a reason; leak reports and owners pass their own.
 */
export function normalizeRevokeReason(reason: string | null | undefined): string | null {
  return reason?.replace(/[\u0000-\u001f\u007f]/g, " ").trim().slice(0, REVOKE_REASON_MAX) || null;
}

/** The reason an operator (console or CLI) must give: why, in a few words the owner will read. */
export function operatorRevokeReasonProblem(reason: string): string | null {
  const normalized = normalizeRevokeReason(reason) ?? "";
  if (normalized.length < 3) return "Say why, in a few words: the owner will see it.";
  if (reason.trim().length > REVOKE_REASON_MAX) return `Use at most ${REVOKE_REASON_MAX} characters.`;
  return null;
}

/**
 * A calling key's own bounds, from its verified snapshot: its scopes as they are in force
 * now, and the end of its life, which for a key in a roll's grace is the grace's end.
 */
export function callerKeyAccess(key: {
  id: string;
  scopes: readonly string[];
  expiresAt: number | null;
  graceEndsAt: number | null;
  ipAllowlist: readonly string[];
  rateLimitPerMinute: number | null;
  owner: { role: OwnerRole };
  team: unknown;
}): CallerKey {
  const ends = [key.expiresAt, key.graceEndsAt].filter((at): at is number => at !== null);
  return {
    id: key.id,
    scopes: scopesInForce(key.scopes, keyHolderRole(key)),
    expiresAt: ends.length ? new Date(Math.min(...ends)) : null,
    ipAllowlist: key.ipAllowlist,
    rateLimitPerMinute: key.rateLimitPerMinute,
  };
}
