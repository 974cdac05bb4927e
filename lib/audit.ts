import type { Db } from "./db";

/** Who did something and from where; carried from the request into every audit event. */
export interface AuditContext {
  actorId: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export type AuditAction =
  | "key.created"
  | "key.renamed"
  | "key.updated"
  | "key.rolled"
  | "key.revoked"
  | "key.leak_reported"
  | "key.grace_ended"
  | "key.retirement_scheduled"
  | "key.rate_limit_changed"
  | "auth.signed_up"
  | "auth.sign_in"
  | "auth.sign_in_failed"
  | "user.created"
  | "user.disabled"
  | "user.enabled"
  | "user.promoted"
  | "user.demoted"
  | "user.deleted"
  // Accounts (email, passwords, two-factor)
  | "auth.email_verified"
  | "auth.email_change_requested"
  | "auth.email_changed"
  | "auth.password_reset_requested"
  | "auth.password_reset"
  | "auth.password_changed"
  | "auth.two_factor_enabled"
  | "auth.two_factor_disabled"
  | "auth.two_factor_reset"
  | "auth.two_factor_failed"
  | "auth.recovery_code_used"
  | "auth.recovery_codes_regenerated"
  // Teams
  | "team.created"
  | "team.updated"
  | "team.deleted"
  | "team.suspended"
  | "team.unsuspended"
  | "team.member_added"
  | "team.member_removed"
  | "team.member_left"
  | "team.role_changed"
  | "team.invite_sent"
  | "team.invite_revoked"
  | "team.invite_accepted"
  | "key.moved_to_team";

type Tx = Pick<Db, "auditEvent">;

/**
 * Writes one audit event. Call it with the transaction client of the change it records,
 * so the change and its record commit or fail together. Details must never hold a secret.
 */
export function writeAuditEvent(
  tx: Tx,
  action: AuditAction,
  context: AuditContext,
  target: { keyId?: string; userId?: string; teamId?: string | null; details?: Record<string, unknown> } = {},
) {
  return tx.auditEvent.create({
    data: {
      action,
      actorId: context.actorId,
      ip: context.ip?.slice(0, 64) ?? null,
      userAgent: context.userAgent?.slice(0, 512) ?? null,
      targetKeyId: target.keyId ?? null,
      targetUserId: target.userId ?? null,
      teamId: target.teamId ?? null,
      details: JSON.stringify(target.details ?? {}),
    },
  });
}
