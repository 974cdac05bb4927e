import { type AuditAction, type AuditContext, writeAuditEvent } from "../audit";
import { databaseKind, db } from "../db";
import { ApiKeyError } from "./errors";
import { invalidate } from "./key-events";
import { env } from "../env";
import { type CallerKey, holderFields, type KeyAccess, type KeyState, keyItselfUsableWhere, keyState, usableKeyWhere } from "./key-policy";
import { currentTeamRole, lockTeam } from "../teams/team-access";
import { mayManageTeamKey } from "../teams/team-policy";
import { parseScopes } from "./scopes";

/** The selected columns any caller may see of a key: never the hash. */
export const publicKeySelect = {
  id: true,
  name: true,
  start: true,
  environment: true,
  scopes: true,
  legacy: true,
  rateLimitPerMinute: true,
  ipAllowlist: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  revokedReason: true,
  revokedById: true,
  graceEndsAt: true,
  rolledFromId: true,
  ownerId: true,
  teamId: true,
} as const;

const keyForChangeSelect = {
  ...publicKeySelect,
  owner: { select: { role: true, disabledAt: true, deletedAt: true } },
  team: { select: { suspendedAt: true, deletedAt: true } },
  rolledTo: { select: { id: true } },
} as const;

export type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

type Loaded = NonNullable<Awaited<ReturnType<typeof loadForChange>>>;

/** A key as a change sees it: its row, its owner's role and state, and the policy's view of it. */
export type KeyForChange = Loaded & {
  /** The key's state by the key policy, at the moment the change began. */
  state: KeyState;
  access: KeyAccess;
};

function loadForChange(tx: Tx, target: KeyTarget) {
  const scope = target.team
    ? { teamId: target.team.teamId, team: { is: { deletedAt: null } } }
    : target.ownerId
      ? { ownerId: target.ownerId, teamId: null }
      : {};
  return tx.apiKey.findFirst({ where: { id: target.keyId, ...scope }, select: keyForChangeSelect });
}

/**
 * Who may change a key: the owner for a personal key (the target's ownerId), the team
 * role for a team key (lib/teams/team-policy.ts: developers the keys they created, admins
 * and owners every key, viewers none). The role is read now, in the change's transaction,
 * so a role change or a removal holds from the member's next request. A user who is not a
 * member (any more) gets not_found, as for a key that does not exist; a member whose role
 * does not allow it, forbidden_role.
 */
async function assertMayChangeTeamKey(tx: Tx, team: NonNullable<KeyTarget["team"]>, key: { ownerId: string }) {
  const role = await currentTeamRole(tx, team.teamId, team.userId);
  if (!role) {
    if (team.viaKey) throw new ApiKeyError("forbidden_role", "The person who created this key is no longer a member of its team: the key works, but cannot manage the team's keys.");
    throw new ApiKeyError("not_found", "No such key.");
  }
  if (!mayManageTeamKey(role, { creatorId: key.ownerId }, team.userId)) {
    throw new ApiKeyError("forbidden_role", role === "developer" ? "A developer can change only the keys they created." : "Your role in this team does not allow changing keys.");
  }
}

/** Which key a change is for. */
export interface KeyTarget {
  keyId: string;
  /**
   * Only this owner's key: the dashboard and /api/v1 always pass it, so another owner's key
   * is "not found", exactly like one that does not exist. Only personal keys: a key moved
   * into a team is no longer found this way. Omitted by the admin console and the CLI.
   */
  ownerId?: string;
  /**
   * A key of this team, changed by `userId` within their current team role. The dashboard
   * passes the session's user; /api/v1 passes a team key's creator with `viaKey`, so a team
   * key acting on its team is bounded by its creator's role now (and by its own scopes).
   */
  team?: { teamId: string; userId: string; viaKey?: boolean };
}

export interface ChangeOutcome<T> {
  result: T;
  /** The audit event of the change (on the changed key and its owner), written in the same transaction. */
  audit: { action: AuditAction; details: Record<string, unknown>; /** The team the event belongs to, when the change moves the key into one. */ teamId?: string };
  /** Further key ids whose cached snapshots the change makes stale (the changed key's always is). */
  alsoInvalidate?: string[];
}

/**
 * The one shape of every change to an existing key: find the caller's key (404 if it is
 * not theirs), change it, write the audit event in the same transaction, and after the
 * commit drop it from every instance's verification cache. Rename, update, roll, revoke,
 * the admin's rate limit and leak reports all go through here, so a new operation cannot
 * forget a step.
 */
export async function changeKey<T>(
  target: KeyTarget,
  context: AuditContext,
  change: (tx: Tx, key: KeyForChange) => Promise<ChangeOutcome<T>>,
): Promise<T> {
  const now = new Date();
  const { keyId, outcome } = await db.$transaction(async (tx) => {
    const loaded = await loadForChange(tx, target);
    if (!loaded) throw new ApiKeyError("not_found", "No such key.");
    if (target.team) await assertMayChangeTeamKey(tx, target.team, loaded);
    const team = loaded.team ? { suspended: loaded.team.suspendedAt !== null || loaded.team.deletedAt !== null } : null;
    const key: KeyForChange = {
      ...loaded,
      state: keyState({ ...loaded, ...holderFields({ team, ownerDisabled: loaded.owner.disabledAt !== null || loaded.owner.deletedAt !== null }) }, now),
      access: { scopes: parseScopes(loaded.scopes), expiresAt: loaded.expiresAt, ipAllowlist: parseAllowlistColumn(loaded.ipAllowlist) },
    };
    const outcome = await change(tx, key);
    await writeAuditEvent(tx, outcome.audit.action, context, { keyId: key.id, userId: key.ownerId, teamId: outcome.audit.teamId ?? key.teamId, details: outcome.audit.details });
    return { keyId: key.id, outcome };
  });
  invalidate({ kind: "key", id: keyId });
  for (const id of outcome.alsoInvalidate ?? []) invalidate({ kind: "key", id });
  return outcome.result;
}

/** The ipAllowlist column (space-separated CIDR blocks, or null) as a list. */
export function parseAllowlistColumn(column: string | null): string[] {
  return column ? column.split(" ").filter(Boolean) : [];
}

/** A list of CIDR blocks as the ipAllowlist column stores it. */
export function allowlistColumn(cidrs: readonly string[]): string | null {
  return cidrs.length ? cidrs.join(" ") : null;
}

/**
 * A key that has been rolled is on its way out (in its grace, or waiting for its
 * replacement's first use): it may still call the API, but not create, change or roll keys,
 * which could otherwise outlive it. Its replacement can.
 */
export async function assertCallerKeyCurrent(tx: Tx, callerKey: CallerKey | undefined) {
  if (!callerKey) return;
  if (await tx.apiKey.count({ where: { rolledFromId: callerKey.id } })) {
    throw new ApiKeyError("forbidden_scope", "This key has been rolled: use its replacement to create, change or roll keys.");
  }
}

/**
 * Refuses a new usable key beyond the cap of its holder: MAX_ACTIVE_KEYS_PER_USER personal
 * keys for a user, MAX_ACTIVE_KEYS_PER_TEAM for a team (a team key never counts towards
 * its creator's cap). A create always adds one; a roll adds one while the old key's grace
 * runs (a roll with no grace replaces it at once).
 */
export async function assertRoomForKey(tx: Tx, ownerId: string, now: Date, teamId: string | null = null) {
  if (teamId) return assertRoomForTeamKey(tx, teamId, now);
  await lockKeyOwner(tx, ownerId);
  const active = await tx.apiKey.count({ where: { ownerId, teamId: null, ...usableKeyWhere(now) } });
  if (active >= env.MAX_ACTIVE_KEYS_PER_USER) {
    throw new ApiKeyError(
      "limit_reached",
      `You have ${active} active keys, the most allowed. Revoke one you no longer use (or roll with no grace), then try again.`,
    );
  }
}

/**
 * Locks a personal key's owner row until the transaction ends, so what is read after it (the
 * owner's state, the count of their keys) is what committed before: on PostgreSQL, keys created
 * at the same moment each counted in their own snapshot and all went past the cap, and a key
 * created while its account was being deleted could miss the deletion. SELECT … FOR UPDATE
 * writes nothing, so the console's Serializable changes to the user are not failed by it.
 * SQLite runs one transaction at a time (lib/serialized-sqlite.ts).
 */
export async function lockKeyOwner(tx: Tx, ownerId: string): Promise<void> {
  if (databaseKind === "postgresql") await tx.$queryRaw`SELECT 1 FROM "User" WHERE "id" = ${ownerId} FOR UPDATE`;
}

async function assertRoomForTeamKey(tx: Tx, teamId: string, now: Date) {
  // Counted under the team's lock, held until the new key commits: on PostgreSQL, keys created
  // at the same moment each counted in their own snapshot and all went past the cap.
  await lockTeam(tx, teamId);
  const active = await tx.apiKey.count({ where: { teamId, ...keyItselfUsableWhere(now) } });
  if (active >= env.MAX_ACTIVE_KEYS_PER_TEAM) {
    throw new ApiKeyError(
      "limit_reached",
      `This team has ${active} active keys, the most allowed. Revoke one it no longer uses (or roll with no grace), then try again.`,
    );
  }
}
