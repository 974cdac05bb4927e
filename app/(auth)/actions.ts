"use server";

import { requestAuditContext } from "@/lib/auth";
import { signUpUser } from "@/lib/users/sign-up";
import { fieldErrorsOf, type FieldErrors, signUpSchema } from "@/lib/validations/auth";

export type SignUpState = { ok: boolean; errors?: FieldErrors; message?: string };

/** Creates an account; the form then signs in with the same credentials through next-auth. */
export async function signUp(formData: FormData): Promise<SignUpState> {
  const parsed = signUpSchema.safeParse({
    name: formData.get("name") ?? undefined,
    email: formData.get("email"),
    password: formData.get("password"),
  });
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  const { ip, userAgent } = await requestAuditContext(null);
  const result = await signUpUser(parsed.data, { ip, userAgent });
  if (!result.ok) return { ok: false, errors: { [result.field]: [result.message] } };
  return { ok: true };
}
