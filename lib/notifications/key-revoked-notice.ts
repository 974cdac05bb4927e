import type { Db } from "../db";
import { describeKey, keyAudience, keyHref } from "./key-audience";
import { notifyUser } from "./notify-user";

type Tx = Pick<Db, "apiKey" | "teamMember" | "outboxMessage" | "user" | "$executeRaw">;

export interface RevokedKey {
  id: string;
  name: string;
  start: string;
  ownerId: string;
}

/**
 * Tells the people responsible for a key that someone else stopped it: an administrator
 * (with the reason given) or a leak report (with where the key was found). Called in the
 * revoke's own transaction, so the notice exists exactly when the revoke does. Whoever
 * revoked the key is not told of their own act. Only the key's name and public start are
 * named: the key's secret is never stored, so no notice could carry it.
 */
export async function notifyKeyRevoked(
  tx: Tx,
  key: RevokedKey,
  revocation: { actorId: string | null; reason: string | null; byLeakReport: boolean },
  now = new Date(),
): Promise<number> {
  const row = await tx.apiKey.findUnique({ where: { id: key.id }, select: { teamId: true } });
  const teamId = row?.teamId ?? null;
  // A key's own people revoking it (the owner, a member of its team) need no notice.
  if (!revocation.byLeakReport && revocation.actorId) {
    const insider = teamId
      ? (await tx.teamMember.count({ where: { teamId, userId: revocation.actorId } })) > 0
      : revocation.actorId === key.ownerId;
    if (insider) return 0;
  }
  const audience = (await keyAudience(tx, { ownerId: key.ownerId, teamId })).filter((userId) => userId !== revocation.actorId);
  const named = describeKey(key);
  const title = revocation.byLeakReport ? `Key ${named} was revoked: it was found in public` : `Key ${named} was revoked by an administrator`;
  const body = revocation.byLeakReport
    ? `A secret-scanning report found this key, so Keyport revoked it at once. ${revocation.reason ?? ""} Create a new key, replace it wherever it was used, and remove it from where it was found.`.replace(/\s+/g, " ")
    : `Reason given: ${revocation.reason ?? "none"}. Requests using it are refused from now on; create a new key if you still need one.`;
  let notified = 0;
  for (const userId of audience) {
    const wrote = await notifyUser(
      tx,
      userId,
      {
        kind: "key_revoked",
        title,
        body,
        href: keyHref(key.id),
        dedupeKey: `key_revoked:${key.id}:${userId}`,
        mail: {
          subject: revocation.byLeakReport ? `Key “${key.name}” was found in public and revoked` : `Key “${key.name}” was revoked by an administrator`,
          heading: title,
          paragraphs: [body],
          action: { label: "Open the key", url: keyHref(key.id) },
          footer: "You get this notice because key revocation notices are on in your account settings.",
        },
      },
      now,
    );
    if (wrote) notified++;
  }
  return notified;
}
