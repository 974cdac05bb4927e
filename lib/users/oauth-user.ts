import { writeAuditEvent } from "../audit";
import { db } from "../db";
import { env } from "../env";

export type OAuthSignIn =
  | { ok: true; id: string; role: "USER" | "ADMIN" }
  | { ok: false; reason: "disabled" | "email_in_use" | "no_verified_email" };

/**
 * Finds or creates the user behind an OAuth sign-in and links the provider account.
 *
 * An account already linked to this provider identity signs in as its user (unless that
 * user is disabled). An email that belongs to an existing Keyport user is never linked
 * automatically: whoever controls a provider account claiming that email would take over
 * the user, their keys, and an admin's role (next-auth refuses the same by default). Only
 * a brand-new email makes a new user, and ADMIN_EMAILS promotes it only here, so the
 * provider must vouch for the email (`email` is null when it does not: see
 * verifiedPrimaryEmail). A linked account needs no email: the link identifies it.
 */
export async function signInWithOAuth(input: { email: string | null; name: string | null; provider: string; providerAccountId: string }): Promise<OAuthSignIn> {
  return db.$transaction(async (tx): Promise<OAuthSignIn> => {
    const linked = await tx.account.findUnique({
      where: { provider_providerAccountId: { provider: input.provider, providerAccountId: input.providerAccountId } },
      select: { user: { select: { id: true, role: true, disabledAt: true } } },
    });
    let user = linked?.user;
    if (!user) {
      if (!input.email) return { ok: false, reason: "no_verified_email" };
      const email = input.email.trim().toLowerCase();
      if (await tx.user.findUnique({ where: { email }, select: { id: true } })) return { ok: false, reason: "email_in_use" };
      user = await tx.user.create({
        // The provider vouched for the address (verifiedPrimaryEmail), so it counts as verified.
        data: { email, name: input.name, role: env.ADMIN_EMAILS.includes(email) ? "ADMIN" : "USER", emailVerifiedAt: new Date() },
        select: { id: true, role: true, disabledAt: true },
      });
      await tx.account.create({ data: { userId: user.id, type: "oauth", provider: input.provider, providerAccountId: input.providerAccountId } });
      await writeAuditEvent(tx, "auth.signed_up", { actorId: user.id }, { userId: user.id, details: { provider: input.provider } });
    }
    if (user.disabledAt) return { ok: false, reason: "disabled" };
    await writeAuditEvent(tx, "auth.sign_in", { actorId: user.id }, { userId: user.id, details: { method: input.provider } });
    return { ok: true, id: user.id, role: user.role };
  });
}

export interface ProviderEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/**
 * The email GitHub vouches for: the primary address, and only if verified. GitHub lets an
 * account hold unverified addresses, including as primary, and next-auth's GitHub provider
 * takes the primary without asking; an unverified address proves nothing about its owner.
 */
export function verifiedPrimaryEmail(emails: unknown): string | null {
  if (!Array.isArray(emails)) return null;
  const primary = (emails as Partial<ProviderEmail>[]).find((entry) => entry?.primary === true);
  return primary?.verified === true && typeof primary.email === "string" ? primary.email : null;
}
