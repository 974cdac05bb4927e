import { db } from "../db";

/** What the account page shows of the signed-in user: never a hash or a secret. */
export async function loadAccount(userId: string) {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      emailVerifiedAt: true,
      totpEnabledAt: true,
      notifyKeyExpiry: true,
      notifyKeyRevoked: true,
      passwordHash: true,
      createdAt: true,
      _count: { select: { accounts: true } },
    },
  });
  if (!user) return null;
  const { passwordHash, _count, ...rest } = user;
  return { ...rest, hasPassword: passwordHash !== null, linkedProviders: _count.accounts };
}

/** The pending email change, if any: the new address a link was sent to and not yet used. */
export async function pendingEmailChange(userId: string, now = new Date()) {
  const token = await db.userToken.findFirst({
    where: { userId, purpose: "change_email", usedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { email: true, expiresAt: true },
  });
  return token;
}

/** Sets the display name (already validated by personNameSchema; empty clears it). */
export async function updateName(userId: string, name: string | undefined) {
  await db.user.update({ where: { id: userId, deletedAt: null }, data: { name: name || null } });
}

/** The optional notices (key expiry reminders, revocation notices); security notices have no switch. */
export async function updateNotificationPreferences(userId: string, prefs: { notifyKeyExpiry: boolean; notifyKeyRevoked: boolean }) {
  await db.user.update({ where: { id: userId, deletedAt: null }, data: prefs });
}
