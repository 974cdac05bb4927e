import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { env } from "../env";
import { allowlistColumn, assertCallerKeyCurrent, assertRoomForKey, lockKeyOwner, publicKeySelect, type Tx } from "./change-key";
import { ApiKeyError } from "./errors";
import { generateApiKey, type KeyEnvironment } from "./key-format";
import { assertMayCreateKeys, assertMayGrant, type CallerKey } from "./key-policy";
import { serializeScopes } from "./scopes";
import { currentTeamRole } from "../teams/team-access";
import { teamRoleAllows } from "../teams/team-policy";

export { publicKeySelect };

export interface CreateApiKeyInput {
  ownerId: string;
  name: string;
  environment: KeyEnvironment;
  scopes: readonly string[];
  expiresAt?: Date | null;
  /** CIDR blocks (validated by parseAllowlist); omitted: the calling key's own, or none. */
  ipAllowlist?: readonly string[];
  /** Set when a key creates this one through the API: the new key may not exceed it, and inherits its rate limit. */
  callerKey?: CallerKey;
  /**
   * Makes a team key: `ownerId` is then its creator, who must be a member whose role may
   * create keys now (assertMayCreateTeamKey); the key counts towards the team's cap.
   */
  teamId?: string;
}

/**
 * Creates a key and its `key.created` audit event in one transaction, after the key policy
 * has judged it (assertMayGrant). Returns the plaintext secret: the only time it exists.
 * The caller shows it once and drops it.
 */
export async function createApiKey(input: CreateApiKeyInput, context: AuditContext) {
  const generated = generateApiKey(env.KEY_PREFIX, input.environment);
  const now = new Date();
  const ipAllowlist = input.ipAllowlist ?? input.callerKey?.ipAllowlist ?? [];
  const key = await db.$transaction(async (tx) => {
    // A personal key's owner is locked first, so an account disabled or deleted at this moment is seen.
    if (!input.teamId) await lockKeyOwner(tx, input.ownerId);
    const owner = await tx.user.findUnique({ where: { id: input.ownerId }, select: { role: true, disabledAt: true, email: true, emailVerifiedAt: true, deletedAt: true } });
    if (!owner) throw new ApiKeyError("not_found", "No such user.");
    if (owner.disabledAt) throw new ApiKeyError("invalid_state", `${owner.email} is disabled; enable the account before creating keys for it.`);
    assertMayCreateKeys(owner, env.REQUIRE_EMAIL_VERIFICATION);
    if (input.teamId) await assertMayCreateTeamKey(tx, input.teamId, input.ownerId, Boolean(input.callerKey));
    assertMayGrant(
      { ownerRole: owner.role, callerKey: input.callerKey, teamKey: Boolean(input.teamId) },
      { scopes: input.scopes, expiresAt: input.expiresAt ?? null, ipAllowlist },
      now,
    );
    await assertCallerKeyCurrent(tx, input.callerKey);
    await assertRoomForKey(tx, input.ownerId, now, input.teamId ?? null);
    const created = await tx.apiKey.create({
      data: {
        ownerId: input.ownerId,
        teamId: input.teamId ?? null,
        name: input.name,
        environment: input.environment,
        scopes: serializeScopes(input.scopes),
        keyHash: generated.hash,
        start: generated.start,
        expiresAt: input.expiresAt ?? null,
        ipAllowlist: allowlistColumn(ipAllowlist),
        // An admin's limit on the calling key travels to the keys it creates.
        rateLimitPerMinute: input.callerKey?.rateLimitPerMinute ?? null,
      },
      select: publicKeySelect,
    });
    await writeAuditEvent(tx, "key.created", context, {
      keyId: created.id,
      userId: input.ownerId,
      teamId: input.teamId ?? null,
      details: { name: created.name, environment: created.environment, scopes: created.scopes, expiresAt: created.expiresAt, ...(ipAllowlist.length ? { ipAllowlist } : {}) },
    });
    return created;
  });
  return { key, secret: generated.secret };
}

/**
 * A team key is created by a member whose role may create keys now, in a team that is
 * neither deleted nor suspended. A non-member is told the team does not exist; a team key
 * creating a key through the API is bounded by its creator's role now.
 */
async function assertMayCreateTeamKey(tx: Tx, teamId: string, creatorId: string, viaKey: boolean) {
  const team = await tx.team.findFirst({ where: { id: teamId, deletedAt: null }, select: { suspendedAt: true, suspendedReason: true } });
  const role = team ? await currentTeamRole(tx, teamId, creatorId) : null;
  if (!team || !role) {
    if (team && viaKey) throw new ApiKeyError("forbidden_role", "The person who created this key is no longer a member of its team: the key works, but cannot create keys.");
    throw new ApiKeyError("not_found", "No such team.");
  }
  if (!teamRoleAllows(role, "keys.create")) throw new ApiKeyError("forbidden_role", "A viewer cannot create keys.");
  if (team.suspendedAt) throw new ApiKeyError("invalid_state", `This team is suspended: ${team.suspendedReason ?? "no reason given"}.`);
}
