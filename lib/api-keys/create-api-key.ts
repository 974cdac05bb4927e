import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { env } from "../env";
import { allowlistColumn, assertCallerKeyCurrent, assertRoomForKey, publicKeySelect } from "./change-key";
import { ApiKeyError } from "./errors";
import { generateApiKey, type KeyEnvironment } from "./key-format";
import { assertMayCreateKeys, assertMayGrant, type CallerKey } from "./key-policy";
import { serializeScopes } from "./scopes";

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
    const owner = await tx.user.findUnique({ where: { id: input.ownerId }, select: { role: true, disabledAt: true, email: true, emailVerifiedAt: true, deletedAt: true } });
    if (!owner) throw new ApiKeyError("not_found", "No such user.");
    if (owner.disabledAt) throw new ApiKeyError("invalid_state", `${owner.email} is disabled; enable the account before creating keys for it.`);
    assertMayCreateKeys(owner, env.REQUIRE_EMAIL_VERIFICATION);
    assertMayGrant(
      { ownerRole: owner.role, callerKey: input.callerKey },
      { scopes: input.scopes, expiresAt: input.expiresAt ?? null, ipAllowlist },
      now,
    );
    await assertCallerKeyCurrent(tx, input.callerKey);
    await assertRoomForKey(tx, input.ownerId, now);
    const created = await tx.apiKey.create({
      data: {
        ownerId: input.ownerId,
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
      details: { name: created.name, environment: created.environment, scopes: created.scopes, expiresAt: created.expiresAt, ...(ipAllowlist.length ? { ipAllowlist } : {}) },
    });
    return created;
  });
  return { key, secret: generated.secret };
}
