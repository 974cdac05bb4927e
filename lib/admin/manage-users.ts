import { randomBytes } from "node:crypto";
import { z } from "zod";
import { invalidate } from "../api-keys/key-events";
import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { hashPassword } from "../passwords";
import { revokeUserSessions } from "../sessions/revoke-sessions";
import { emailSchema, fieldErrorsOf, newPasswordSchema, personNameSchema } from "../validations/auth";
import { AdminError } from "./errors";

export type Role = "USER" | "ADMIN";

/** What an admin may see of a user: never the password hash. */
export const adminUserSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  createdAt: true,
  disabledAt: true,
  /** Shown in the console and the CLI: whether the address is proven, and whether two-factor is on. */
  emailVerifiedAt: true,
  totpEnabledAt: true,
} as const;

/** An account an admin creates: the sign-up rules for email and password, plus a role. */
export const createUserSchema = z.object({
  email: emailSchema,
  name: personNameSchema.optional().transform((name) => name || null),
  password: newPasswordSchema,
  role: z.enum(["USER", "ADMIN"], { error: "Choose USER or ADMIN." }),
});

/** Finds a user by email, compared the way emails are stored (trimmed, lower-cased). */
export async function findUserByEmail(email: string) {
  return db.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: adminUserSelect });
}

/** A password for an account an operator creates: 144 random bits, URL-safe, shown once. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

/** Creates an email-and-password account on an admin's behalf, audited as "user.created". */
export async function createUser(input: { email: string; name?: string | null; password: string; role: Role }, context: AuditContext) {
  const parsed = createUserSchema.safeParse({ ...input, name: input.name ?? undefined });
  if (!parsed.success) {
    throw new AdminError("invalid_input", parsed.error.issues.map((issue) => issue.message).join(" "), fieldErrorsOf(parsed.error));
  }
  const { email, name, password, role } = parsed.data;
  const passwordHash = await hashPassword(password);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email, name, passwordHash, role }, select: adminUserSelect });
      await writeAuditEvent(tx, "user.created", context, { userId: user.id, details: { role } });
      return user;
    });
  } catch (error) {
    // The unique index decides, so two creates of one email at the same moment cannot both win.
    if ((error as { code?: string }).code === "P2002") throw new AdminError("conflict", `A user with the email ${email} already exists.`);
    throw error;
  }
}

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

async function loadUser(tx: Tx, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId }, select: adminUserSelect });
  if (!user) throw new AdminError("not_found", "No such user.");
  return user;
}

/** Refuses a change that would leave no enabled admin, since nobody could then reach the console. */
async function requireAnotherEnabledAdmin(tx: Tx, userId: string, what: string) {
  const others = await tx.user.count({ where: { role: "ADMIN", disabledAt: null, id: { not: userId } } });
  if (others === 0) {
    throw new AdminError("invalid_state", `Cannot ${what} the last enabled admin. Promote another user to admin first.`);
  }
}

// Serializable, so two admins demoting (or disabling) each other at the same moment on
// PostgreSQL cannot both pass the last-admin check; SQLite is serializable anyway.
const SERIALIZABLE = { isolationLevel: "Serializable" } as const;

/**
 * Disables or enables a user. A disabled user's keys are refused at once through the
 * owner's flag (verifyApiKey answers owner_disabled), so no key row changes: enabling
 * restores every key that was not revoked, and a revoked key stays revoked.
 */
export async function setUserDisabled(input: { userId: string; disabled: boolean }, context: AuditContext) {
  const user = await db.$transaction(async (tx) => {
    const existing = await loadUser(tx, input.userId);
    if (Boolean(existing.disabledAt) === input.disabled) {
      throw new AdminError("invalid_state", `${existing.email} is already ${input.disabled ? "disabled" : "enabled"}.`);
    }
    if (input.disabled && existing.role === "ADMIN") await requireAnotherEnabledAdmin(tx, existing.id, "disable");
    const updated = await tx.user.update({
      where: { id: existing.id },
      data: { disabledAt: input.disabled ? new Date() : null },
      select: adminUserSelect,
    });
    // Every session ends with the change, so a cookie saved before a disable stays dead after a re-enable.
    await revokeUserSessions(existing.id, undefined, tx);
    await writeAuditEvent(tx, input.disabled ? "user.disabled" : "user.enabled", context, { userId: existing.id, details: { email: existing.email } });
    return updated;
  }, SERIALIZABLE);
  // After the commit: cached snapshots carry the old flag and must be dropped both ways.
  invalidate({ kind: "owner", id: user.id });
  return user;
}

/** Promotes a user to ADMIN or demotes one to USER; the last enabled admin cannot be demoted. */
export async function setUserRole(input: { userId: string; role: Role }, context: AuditContext) {
  const user = await db.$transaction(async (tx) => {
    const existing = await loadUser(tx, input.userId);
    if (existing.role === input.role) throw new AdminError("invalid_state", `${existing.email} is already ${input.role === "ADMIN" ? "an admin" : "a user"}.`);
    // A disabled admin already cannot reach the console, so demoting one takes nothing away.
    if (input.role === "USER" && !existing.disabledAt) await requireAnotherEnabledAdmin(tx, existing.id, "demote");
    const updated = await tx.user.update({ where: { id: existing.id }, data: { role: input.role }, select: adminUserSelect });
    // A role change signs the user out everywhere: no browser keeps a session from before it.
    await revokeUserSessions(existing.id, undefined, tx);
    await writeAuditEvent(tx, input.role === "ADMIN" ? "user.promoted" : "user.demoted", context, {
      userId: existing.id,
      details: { from: existing.role, to: input.role },
    });
    return updated;
  }, SERIALIZABLE);
  // Cached snapshots carry the owner's role, which decides admin-only scopes (`verify`) at
  // every verification: drop them so a demotion stops a service key at once, everywhere.
  invalidate({ kind: "owner", id: user.id });
  return user;
}
