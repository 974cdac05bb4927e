import { writeAuditEvent, type AuditContext } from "../audit";
import { db } from "../db";
import { env } from "../env";
import { verifyPassword } from "../passwords";

export type AuthenticatedUser = { id: string; email: string; name: string | null; role: "USER" | "ADMIN" };

/**
 * Checks an email and password. Unknown email, wrong password and disabled account all
 * answer null after the same bcrypt work, so the answer reveals nothing. Both outcomes
 * are audited; matching ADMIN_EMAILS promotes the account on the way in.
 */
export async function authenticateUser(
  email: string,
  password: string,
  context: Omit<AuditContext, "actorId">,
): Promise<AuthenticatedUser | null> {
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, passwordHash: true, disabledAt: true },
  });
  const passwordOk = await verifyPassword(password, user?.passwordHash);
  if (!user || !passwordOk || user.disabledAt) {
    await writeAuditEvent(db, "auth.sign_in_failed", { ...context, actorId: null }, {
      userId: user?.id,
      details: { reason: !user ? "unknown_email" : !passwordOk ? "wrong_password" : "disabled" },
    });
    return null;
  }
  const promote = user.role !== "ADMIN" && env.ADMIN_EMAILS.includes(user.email);
  await db.$transaction(async (tx) => {
    if (promote) {
      await tx.user.update({ where: { id: user.id }, data: { role: "ADMIN" } });
      await writeAuditEvent(tx, "user.promoted", { ...context, actorId: null }, { userId: user.id, details: { via: "ADMIN_EMAILS" } });
    }
    await writeAuditEvent(tx, "auth.sign_in", { ...context, actorId: user.id }, { userId: user.id, details: { method: "password" } });
  });
  return { id: user.id, email: user.email, name: user.name, role: promote ? "ADMIN" : user.role };
}
