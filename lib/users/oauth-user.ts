import { writeAuditEvent } from "../audit";
import { db } from "../db";
import { env } from "../env";

/**
 * Finds or creates the user behind an OAuth sign-in and links the provider account.
 * A disabled user is refused. Returns null when the sign-in must not proceed.
 */
export async function signInWithOAuth(input: { email: string; name: string | null; provider: string; providerAccountId: string }) {
  const email = input.email.trim().toLowerCase();
  return db.$transaction(async (tx) => {
    const linked = await tx.account.findUnique({
      where: { provider_providerAccountId: { provider: input.provider, providerAccountId: input.providerAccountId } },
      select: { user: { select: { id: true, role: true, disabledAt: true } } },
    });
    let user = linked?.user ?? (await tx.user.findUnique({ where: { email }, select: { id: true, role: true, disabledAt: true } }));
    if (user?.disabledAt) return null;
    if (!user) {
      user = await tx.user.create({
        data: { email, name: input.name, role: env.ADMIN_EMAILS.includes(email) ? "ADMIN" : "USER" },
        select: { id: true, role: true, disabledAt: true },
      });
      await writeAuditEvent(tx, "auth.signed_up", { actorId: user.id }, { userId: user.id, details: { provider: input.provider } });
    }
    if (!linked) {
      await tx.account.create({
        data: { userId: user.id, type: "oauth", provider: input.provider, providerAccountId: input.providerAccountId },
      });
    }
    await writeAuditEvent(tx, "auth.sign_in", { actorId: user.id }, { userId: user.id, details: { method: input.provider } });
    return { id: user.id, role: user.role };
  });
}
