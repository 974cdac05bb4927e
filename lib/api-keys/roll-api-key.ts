import type { AuditContext } from "../audit";
import { env } from "../env";
import { assertCallerKeyCurrent, assertRoomForKey, changeKey, type KeyTarget, publicKeySelect } from "./change-key";
import { ApiKeyError } from "./errors";
import { generateApiKey } from "./key-format";
import { assertMayRoll, type CallerKey, isUsableState, type KeyAccess } from "./key-policy";

export interface RollApiKeyInput {
  keyId: string;
  ownerId?: string;
  /** A team key, rolled by a member within their role (see KeyTarget in change-key.ts). */
  team?: KeyTarget["team"];
  /** How long the old key keeps working; 0 stops it now. */
  graceMs: number;
  /**
   * Usage-aware rotation: the grace starts only when the new key is first used, so an old
   * key that is still deployed somewhere is not cut off before its replacement is live.
   */
  startGraceOnFirstUse?: boolean;
  /** A new expiry for the replacement (null: none); omitted, it keeps the old key's. */
  expiresAt?: Date | null;
  /** The calling key, when the roll comes through the API. */
  callerKey?: CallerKey;
  /**
   * Name the new key "<old name> (rolled YYYY-MM-DD)" (rolledKeyName) rather than the old
   * name, so the two keys are told apart in every list. Omitted: the old name (as before).
   */
  nameAsRolled?: boolean;
}

const NAME_MAX = 64;
const ROLLED_SUFFIX = / \(rolled \d{4}-\d{2}-\d{2}\)$/;

/**
 * "billing" rolled on 2026-12-04 becomes "billing (rolled 2026-12-04)"; rolling that one
 * again replaces the date rather than stacking suffixes. The base is shortened so the whole
 * name stays within the 64 characters a key name may have.
 */
export function rolledKeyName(name: string, now: Date): string {
  const suffix = ` (rolled ${now.toISOString().slice(0, 10)})`;
  const base = name.replace(ROLLED_SUFFIX, "").slice(0, NAME_MAX - suffix.length).trimEnd();
  return `${base}${suffix}`;
}

/**
 * Replaces a key with a new one that carries every restriction of the old: scopes, IP
 * allowlist, the admin's rate limit, environment, and expiry (unless a new one is chosen).
 * The key policy judges the replacement as a grant (assertMayRoll), so a roll can never
 * produce a key its caller could not have created. The old key keeps working until its
 * grace ends, so callers can be moved over without an outage. Returns the new secret, once.
 */
export async function rollApiKey(input: RollApiKeyInput, context: AuditContext) {
  const now = new Date();
  const graceMs = Math.max(0, input.graceMs);
  const graceEndsAt = input.startGraceOnFirstUse ? null : new Date(now.getTime() + graceMs);
  const result = await changeKey({ keyId: input.keyId, ownerId: input.ownerId, team: input.team }, context, async (tx, old) => {
    if (!isUsableState(old.state) || old.rolledTo) {
      throw new ApiKeyError("invalid_state", "Only an active key that has not been rolled already can be rolled.");
    }
    const replacement: KeyAccess = { ...old.access, expiresAt: input.expiresAt !== undefined ? input.expiresAt : old.expiresAt };
    assertMayRoll({ ownerRole: old.owner.role, callerKey: input.callerKey, teamKey: old.teamId !== null }, replacement, now);
    await assertCallerKeyCurrent(tx, input.callerKey);
    // While the old key's grace runs, both keys work: the new one needs room under the cap.
    if (input.startGraceOnFirstUse || graceMs > 0) await assertRoomForKey(tx, old.ownerId, now, old.teamId);
    const generated = generateApiKey(env.KEY_PREFIX, old.environment);
    const created = await tx.apiKey
      .create({
        data: {
          // A team key's replacement stays the team's, recorded as made by the same creator.
          ownerId: old.ownerId,
          teamId: old.teamId,
          name: input.nameAsRolled ? rolledKeyName(old.name, now) : old.name,
          environment: old.environment,
          scopes: old.scopes,
          expiresAt: replacement.expiresAt,
          ipAllowlist: old.ipAllowlist,
          rateLimitPerMinute: old.rateLimitPerMinute,
          keyHash: generated.hash,
          start: generated.start,
          rolledFromId: old.id,
          retireRolledFromAfterMs: input.startGraceOnFirstUse ? graceMs : null,
        },
        select: publicKeySelect,
      })
      .catch((error: unknown) => {
        // Two rolls of one key at the same moment: the unique rolledFromId lets one win.
        if ((error as { code?: string }).code === "P2002") throw new ApiKeyError("invalid_state", "This key has just been rolled.");
        throw error;
      });
    if (graceEndsAt) await tx.apiKey.update({ where: { id: old.id }, data: { graceEndsAt } });
    return {
      result: { key: created, secret: generated.secret },
      audit: {
        action: "key.rolled",
        details: {
          newKeyId: created.id,
          ...(input.startGraceOnFirstUse ? { graceAfterFirstUseMs: graceMs } : { graceEndsAt }),
          ...(input.expiresAt !== undefined ? { expiresAt: { from: old.expiresAt, to: replacement.expiresAt } } : {}),
        },
      },
    };
  });
  return { ...result, graceEndsAt };
}
