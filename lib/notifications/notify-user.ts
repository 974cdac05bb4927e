import { randomUUID } from "node:crypto";
import type { Db } from "../db";
import { enqueueMail } from "../mail/enqueue-mail";
import type { MailContent } from "../mail/render-mail";

type Tx = Pick<Db, "outboxMessage" | "user" | "$executeRaw">;

/** Optional notices a user may turn off on /account; every other kind is a security notice. */
const OPTIONAL_KINDS = {
  key_expiring: "notifyKeyExpiry",
  key_revoked: "notifyKeyRevoked",
} as const;

export interface Notice {
  /** e.g. "key_expiring", "key_revoked", "new_sign_in", "password_changed", "two_factor_disabled". */
  kind: string;
  title: string;
  body: string;
  /** Where the dashboard's notice links to. */
  href?: string;
  /** Makes the notice happen at most once (e.g. "key_expiring:<keyId>:7d:<expiresAt>"). */
  dedupeKey?: string;
  /** The mail to send with it; omitted, the notice is only shown on the dashboard. */
  mail?: MailContent;
}

/**
 * Records a notice for the dashboard and, unless the user turned that kind off, queues its
 * mail, in the caller's transaction. Returns false when a notice with the same dedupeKey
 * already exists (another instance or an earlier run sent it).
 */
export async function notifyUser(tx: Tx, userId: string, notice: Notice, now = new Date()): Promise<boolean> {
  const user = await tx.user.findUnique({
    where: { id: userId },
    select: { email: true, deletedAt: true, notifyKeyExpiry: true, notifyKeyRevoked: true },
  });
  if (!user || user.deletedAt) return false;
  const dedupeKey = notice.dedupeKey ?? `${notice.kind}:${userId}:${randomUUID()}`;
  // Insert-if-absent in one statement (the same SQL on SQLite and PostgreSQL): of two
  // instances racing on one dedupeKey, one inserts and the other's insert does nothing. A
  // plain create would raise a unique violation, which on PostgreSQL aborts the caller's
  // whole transaction (the revoke or sign-in the notice is about).
  const inserted = await tx.$executeRaw`
    INSERT INTO "Notification" ("id", "userId", "kind", "title", "body", "href", "dedupeKey", "createdAt")
    VALUES (${randomUUID()}, ${userId}, ${notice.kind}, ${notice.title}, ${notice.body}, ${notice.href ?? null}, ${dedupeKey}, ${now})
    ON CONFLICT ("dedupeKey") DO NOTHING`;
  if (inserted === 0) return false;
  const preference = OPTIONAL_KINDS[notice.kind as keyof typeof OPTIONAL_KINDS];
  const wanted = preference ? user[preference] : true;
  if (notice.mail && wanted) await enqueueMail(tx, user.email, notice.kind, notice.mail);
  return true;
}
