"use server";

import { after } from "next/server";
import { z } from "zod";
import { requestAuditContext } from "@/lib/auth";
import { AccountMailThrottledError, consumePasswordResetRequest } from "@/lib/rate-limit/account-mail-throttle";
import { RESET_REQUESTED_MESSAGE, requestPasswordReset } from "@/lib/users/reset-password";
import { emailSchema, fieldErrorsOf, type FieldErrors } from "@/lib/validations/auth";

export type ForgotPasswordState = { email: string; errors?: FieldErrors; message?: string; sent?: boolean };

const schema = z.object({ email: emailSchema });

/**
 * "Forgot password?": throttled per IP and per address, then the same answer whether or not
 * the address has an account. The lookup and the mail happen after the response (`after`),
 * so neither the words nor the time taken tell anyone which addresses have accounts.
 */
export async function forgotPasswordAction(_previous: ForgotPasswordState, formData: FormData): Promise<ForgotPasswordState> {
  const typed = typeof formData.get("email") === "string" ? String(formData.get("email")).slice(0, 320) : "";
  const parsed = schema.safeParse({ email: formData.get("email") });
  if (!parsed.success) return { email: typed, errors: fieldErrorsOf(parsed.error) };
  const { ip, userAgent } = await requestAuditContext(null);
  try {
    await consumePasswordResetRequest(parsed.data.email, ip ?? "unknown");
  } catch (error) {
    if (error instanceof AccountMailThrottledError) return { email: typed, errors: { email: [error.message] } };
    throw error;
  }
  after(() =>
    requestPasswordReset(parsed.data.email, { ip, userAgent }).catch((error: unknown) => {
      // The address and the token stay out of the log; the failure itself does not.
      console.error("[keyport] a password-reset request failed:", error instanceof Error ? error.name : "unknown error");
    }),
  );
  return { email: typed, sent: true, message: RESET_REQUESTED_MESSAGE };
}
