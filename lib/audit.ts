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
  | "user.demoted";

type Tx = Pick<Db, "auditEvent">;

/**
 * Writes one audit event. Call it with the transaction client of the change it records,
 * so the change and its record commit or fail together. Details must never hold a secret.
 */
export function writeAuditEvent(
  tx: Tx,
  action: AuditAction,
  context: AuditContext,
  target: { keyId?: string; userId?: string; details?: Record<string, unknown> } = {},
) {
  return tx.auditEvent.create({
    data: {
      action,
      actorId: context.actorId,
      ip: context.ip?.slice(0, 64) ?? null,
      userAgent: context.userAgent?.slice(0, 512) ?? null,
      targetKeyId: target.keyId ?? null,
      targetUserId: target.userId ?? null,
      details: JSON.stringify(target.details ?? {}),
    },
  });
}
