import { writeAuditEvent, type AuditContext } from "../audit";
import { db } from "../db";
import { hashPassword } from "../passwords";
import { queueVerificationMail } from "./verify-email";

/**
 * Creates an email-and-password account. Emails arrive already normalized by signUpSchema.
 *
 * The answer is the same whether or not the email already has an account, and so is the
 * work (one bcrypt hash either way): an existing account is left untouched, and the sign-in
 * with the typed password that follows a sign-up decides, exactly as on the sign-in form.
 * Every account starts as USER and unverified: the verification mail is queued in the same
 * transaction, and ADMIN_EMAILS promotes the address only when that link is used.
 */
export async function signUpUser(input: { email: string; password: string; name?: string }, context: Omit<AuditContext, "actorId">): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) return;
  try {
    await db.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { email: input.email, name: input.name ?? null, passwordHash, role: "USER" },
        select: { id: true, role: true, email: true },
      });
      await writeAuditEvent(tx, "auth.signed_up", { ...context, actorId: created.id }, { userId: created.id, details: { role: created.role } });
      await queueVerificationMail(tx, created);
    });
  } catch (error) {
    // Two sign-ups with one email at the same moment: the unique index decides, and the loser answers as above.
    if ((error as { code?: string }).code === "P2002") return;
    throw error;
  }
}
