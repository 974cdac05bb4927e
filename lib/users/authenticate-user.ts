import { writeAuditEvent, type AuditContext } from "../audit";
import { db } from "../db";
import { verifyPassword } from "../passwords";
import { fitsBcrypt } from "../validations/auth";

export type AuthenticatedUser = { id: string; email: string; name: string | null; role: "USER" | "ADMIN" };

/**
 * Checks an email and password. Unknown email, wrong password and disabled account all
 * answer null after the same bcrypt work, so the answer reveals nothing. Both outcomes
 * are audited.
 *
 * A password longer than bcrypt's 72 bytes never matches: bcrypt would compare only its
 * first 72 bytes, so a long non-ASCII password would also accept any other tail. Sign-up
 * refuses such passwords (newPasswordSchema), so no stored hash can need one.
 *
 * Nothing here changes a role: ADMIN_EMAILS names addresses nobody has verified, so
 * promotion is the CLI's (`npm run keyport -- users promote`), never a sign-in's.
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
  const tooLong = !fitsBcrypt(password);
  // The same one bcrypt compare whatever the outcome (a dummy hash for an over-long password).
  const passwordOk = (await verifyPassword(password, tooLong ? null : user?.passwordHash)) && !tooLong;
  if (!user || !passwordOk || user.disabledAt) {
    await writeAuditEvent(db, "auth.sign_in_failed", { ...context, actorId: null }, {
      userId: user?.id,
      details: { reason: !user ? "unknown_email" : !passwordOk ? "wrong_password" : "disabled" },
    });
    return null;
  }
  await writeAuditEvent(db, "auth.sign_in", { ...context, actorId: user.id }, { userId: user.id, details: { method: "password" } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
