import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { env } from "../env";
import { ApiKeyError } from "./errors";
import { assertScopesGrantable } from "./grantable-scopes";
import { generateApiKey, type KeyEnvironment } from "./key-format";
import { serializeScopes } from "./scopes";

export interface CreateApiKeyInput {
  ownerId: string;
  name: string;
  environment: KeyEnvironment;
  scopes: readonly string[];
  expiresAt?: Date | null;
  /** Set when a key creates this one through the API: the new key may not exceed these. */
  callerScopes?: readonly string[];
}

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
} as const;

/** Keys that still authenticate: not revoked, not expired, not past a roll's grace. */
export function activeKeyWhere(now: Date) {
  return {
    revokedAt: null,
    AND: [
      { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      { OR: [{ graceEndsAt: null }, { graceEndsAt: { gt: now } }] },
    ],
  };
}

/**
 * Creates a key and its `key.created` audit event in one transaction. Returns the
 * plaintext secret: the only time it exists. The caller shows it once and drops it.
 */
export async function createApiKey(input: CreateApiKeyInput, context: AuditContext) {
  const generated = generateApiKey(env.KEY_PREFIX, input.environment);
  const now = new Date();
  const key = await db.$transaction(async (tx) => {
    const owner = await tx.user.findUnique({ where: { id: input.ownerId }, select: { role: true } });
    if (!owner) throw new ApiKeyError("not_found", "No such user.");
    assertScopesGrantable(input.scopes, { ownerIsAdmin: owner.role === "ADMIN", callerScopes: input.callerScopes });
    const active = await tx.apiKey.count({ where: { ownerId: input.ownerId, ...activeKeyWhere(now) } });
    if (active >= env.MAX_ACTIVE_KEYS_PER_USER) {
      throw new ApiKeyError(
        "limit_reached",
        `You have ${active} active keys, the most allowed. Revoke one you no longer use, then try again.`,
      );
    }
    const created = await tx.apiKey.create({
      data: {
        ownerId: input.ownerId,
        name: input.name,
        environment: input.environment,
        scopes: serializeScopes(input.scopes),
        keyHash: generated.hash,
        start: generated.start,
        expiresAt: input.expiresAt ?? null,
      },
      select: publicKeySelect,
    });
    await writeAuditEvent(tx, "key.created", context, {
      keyId: created.id,
      userId: input.ownerId,
      details: { name: created.name, environment: created.environment, scopes: created.scopes, expiresAt: created.expiresAt },
    });
    return created;
  });
  return { key, secret: generated.secret };
}
