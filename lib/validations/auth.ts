import { z } from "zod";
import { isCommonPassword } from "./common-passwords";

/** Emails are compared and stored trimmed and lower-cased, so "Ada@X.io " and "ada@x.io" are one account. */
export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address." }));

/** bcrypt reads a password's first 72 bytes (UTF-8) and ignores the rest. */
export const PASSWORD_MAX_BYTES = 72;

/** Whether bcrypt sees the whole password: 72 bytes is 72 ASCII characters but only 18 emoji. */
export function fitsBcrypt(password: string): boolean {
  return new TextEncoder().encode(password).length <= PASSWORD_MAX_BYTES;
}

export const newPasswordSchema = z
  .string({ error: "Choose a password." })
  .min(10, "Use at least 10 characters.")
  .refine(fitsBcrypt, `Use at most ${PASSWORD_MAX_BYTES} bytes: that is 72 plain letters or digits, fewer with accents, other alphabets or emoji.`)
  .refine((password) => !isCommonPassword(password), "This password is too common. Choose one that is harder to guess.");

/** A person's display name. PostgreSQL refuses NUL in text, and no control character belongs in a name. */
export const personNameSchema = z
  .string()
  .trim()
  .max(80, "Use at most 80 characters.")
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), "Use printable characters only.");

export const signUpSchema = z.object({
  name: personNameSchema.optional().transform((name) => name || undefined),
  email: emailSchema,
  password: newPasswordSchema,
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(200),
});

export type FieldErrors = Record<string, string[] | undefined>;

/** zod issues as { field: [messages] } for forms that show a message next to each field. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  return z.flattenError(error).fieldErrors as FieldErrors;
}
