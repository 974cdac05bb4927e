import { writeAuditEvent, type AuditContext } from "../audit";
import { db } from "../db";
import { env } from "../env";
import { hashPassword } from "../passwords";

export type SignUpResult = { ok: true; userId: string } | { ok: false; field: "email"; message: string };

/** Creates an email-and-password account. Emails arrive already normalized by signUpSchema. */
export async function signUpUser(input: { email: string; password: string; name?: string }, context: Omit<AuditContext, "actorId">): Promise<SignUpResult> {
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) return { ok: false, field: "email", message: "An account with this email already exists. Sign in instead." };
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: {
          email: input.email,
          name: input.name ?? null,
          passwordHash,
          role: env.ADMIN_EMAILS.includes(input.email) ? "ADMIN" : "USER",
        },
        select: { id: true, role: true },
      });
      await writeAuditEvent(tx, "auth.signed_up", { ...context, actorId: created.id }, { userId: created.id, details: { role: created.role } });
      return created;
    });
    return { ok: true, userId: user.id };
  } catch (error) {
    // Two sign-ups with one email at the same moment: the unique index decides.
    if ((error as { code?: string }).code === "P2002") {
      return { ok: false, field: "email", message: "An account with this email already exists. Sign in instead." };
    }
    throw error;
  }
}
