import { ApiKeyError } from "../api-keys/errors";
import { revokeApiKey } from "../api-keys/revoke-api-key";
import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { revokeUserSessions } from "../sessions/revoke-sessions";
import { teamsOnlyOwnedBy, withdrawInvitesSentBy } from "../teams/members";
import { lockTeam } from "../teams/team-access";
import { checkCurrentPassword } from "./current-password";

export type AccountDeletion =
  | { ok: true; keysRevoked: number }
  | { ok: false; field: "password" | "confirmEmail"; reason: "wrong_password" | "throttled" | "email_mismatch" }
  | { ok: false; field: "team"; reason: "sole_owner"; teams: { slug: string; name: string }[] };

/** The address a deleted account holds instead of its own, so that address can sign up again. */
export const deletedEmailPlaceholder = (userId: string) => `deleted-${userId}@deleted.invalid`;

/**
 * Deletes the signed-in user's account, confirmed with the password (or, for an account
 * that signs in only through GitHub, by typing its email address):
 * - the row stays, soft-deleted (deletedAt), so audit events keep their actor; its email
 *   becomes a placeholder, so the address can sign up again; the password, second factor,
 *   provider links and outstanding links go; every session ends; audited as user.deleted;
 * - refused while the user is the only active owner of a team (a team always keeps an owner:
 *   they hand the team over or delete it first); otherwise the user leaves each team, audited
 *   in the team's log, and the invitations they sent there and nobody accepted are withdrawn;
 * - every personal key is revoked through revokeApiKey (the key policy's change shape, so
 *   every instance's cache drops it); team keys the user created belong to their team and
 *   keep working.
 */
export async function deleteAccount(
  input: { userId: string; password?: string; confirmEmail?: string },
  context: AuditContext,
  now = new Date(),
): Promise<AccountDeletion> {
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, passwordHash: true, deletedAt: true } });
  if (!user || user.deletedAt) return { ok: true, keysRevoked: 0 };
  if (user.passwordHash) {
    const check = await checkCurrentPassword(user, input.password ?? "", context);
    if (check !== "ok") return { ok: false, field: "password", reason: check };
  } else if ((input.confirmEmail ?? "").trim().toLowerCase() !== user.email) {
    return { ok: false, field: "confirmEmail", reason: "email_mismatch" };
  }

  const soleOwner = await db.$transaction(async (tx) => {
    // Lock every team the user is in before counting owners, so a co-owner leaving at the same
    // moment cannot leave a team with none (leaveTeam and removeTeamMember take the same lock).
    const memberships = await tx.teamMember.findMany({ where: { userId: user.id }, select: { teamId: true, role: true }, orderBy: { teamId: "asc" } });
    for (const { teamId } of memberships) await lockTeam(tx, teamId);
    const alone = await teamsOnlyOwnedBy(tx, user.id);
    if (alone.length > 0) return alone.map(({ slug, name }) => ({ slug, name }));

    await tx.user.update({
      where: { id: user.id },
      data: {
        deletedAt: now,
        email: deletedEmailPlaceholder(user.id),
        name: null,
        passwordHash: null,
        emailVerifiedAt: null,
        totpSecret: null,
        totpEnabledAt: null,
        totpLastStep: null,
      },
    });
    await revokeUserSessions(user.id, undefined, tx, now);
    await tx.account.deleteMany({ where: { userId: user.id } });
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await tx.userToken.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: now } });
    for (const { teamId, role } of memberships) {
      await tx.teamMember.delete({ where: { teamId_userId: { teamId, userId: user.id } } });
      await withdrawInvitesSentBy(tx, teamId, user.id, null, context);
      await writeAuditEvent(tx, "team.member_left", context, { teamId, userId: user.id, details: { role, reason: "account_deleted" } });
    }
    await writeAuditEvent(tx, "user.deleted", context, { userId: user.id, details: { email: user.email, by: "self" } });
    return null;
  });
  if (soleOwner) return { ok: false, field: "team", reason: "sole_owner", teams: soleOwner };

  // After the account is gone, nothing can create a personal key for it: the key policy refuses
  // a deleted owner, read under the owner's row lock (lockKeyOwner), so a create racing this
  // deletion waits for it and then sees it. Should a key slip past anyway, a deleted owner's
  // keys are refused like a disabled owner's. Each revoke is audited and invalidates caches.
  let keysRevoked = 0;
  const keys = await db.apiKey.findMany({ where: { ownerId: user.id, teamId: null, revokedAt: null }, select: { id: true } });
  for (const key of keys) {
    try {
      await revokeApiKey({ keyId: key.id, ownerId: user.id, reason: "The owner deleted their account." }, context);
      keysRevoked++;
    } catch (error) {
      // Revoked meanwhile by someone else: it is revoked, which is all this wants.
      if (!(error instanceof ApiKeyError && error.code === "invalid_state")) throw error;
    }
  }
  return { ok: true, keysRevoked };
}
