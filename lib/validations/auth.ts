import { z } from "zod";
import { isCommonPassword } from "./common-passwords";

/** Emails are compared and stored trimmed and lower-cased, so "Ada@X.io " and "ada@x.io" are one account. */
export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address." }));

export const newPasswordSchema = z
  .string({ error: "Choose a password." })
  .min(10, "Use at least 10 characters.")
  .max(72, "Use at most 72 characters (bcrypt reads no further).")
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
