"use server";

import { redirect } from "next/navigation";
import { requestAuditContext } from "@/lib/auth";
import { consumeSignUp, SignInThrottledError } from "@/lib/rate-limit/sign-in-throttle";
import { setSessionCookie } from "@/lib/sessions/session-cookie";
import { SIGN_IN_ERROR_MESSAGES } from "@/lib/sign-in-errors";
import { setChallengeCookie } from "@/lib/two-factor/challenge-cookie";
import { signInWithPassword } from "@/lib/users/sign-in-with-password";
import { signUpUser } from "@/lib/users/sign-up";
import { fieldErrorsOf, type FieldErrors, signInSchema, signUpSchema } from "@/lib/validations/auth";
import { safeCallbackUrl } from "@/lib/validations/callback-url";

/**
 * What the sign-in and sign-up forms show after a refusal. The fields typed are kept
 * (as next-learn does) so the form comes back filled in, with or without JavaScript;
 * the password never is: it is not sent back to the page.
 */
export type AuthFormState = { values: { email: string; name: string }; errors?: FieldErrors; message?: string };

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

function keptValues(formData: FormData) {
  return { email: text(formData.get("email")).slice(0, 320), name: text(formData.get("name")).slice(0, 200) };
}

/**
 * The sign-in form's action: the same code path as next-auth's credentials provider
 * (throttle, password, Session row), then next-auth's own session cookie, then the
 * callbackUrl if it is a path on this portal. Works without JavaScript: the form posts here.
 */
export async function signInAction(_previous: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const values = keptValues(formData);
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) return { values, errors: fieldErrorsOf(parsed.error) };
  const { ip, userAgent } = await requestAuditContext(null);
  const result = await signInWithPassword(parsed.data, { ip, userAgent });
  if (!result.ok && result.code === "two_factor_required") {
    // No session yet: the second step asks for a code, then signs the browser in.
    await setChallengeCookie(result.challenge);
    redirect(`/sign-in/two-factor?callbackUrl=${encodeURIComponent(safeCallbackUrl(formData.get("callbackUrl")))}`);
  }
  if (!result.ok) {
    const message = SIGN_IN_ERROR_MESSAGES[result.code];
    return { values, message, errors: result.code === "CredentialsSignin" ? { password: [message] } : undefined };
  }
  await setSessionCookie(result.user.id, result.sessionId);
  redirect(safeCallbackUrl(formData.get("callbackUrl")));
}

/** The sign-up form's refusal when the sign-in that follows it fails: the email has an account with another password. */
const SIGN_UP_NOT_SIGNED_IN = "Could not create an account with this email and password. If the email is yours, sign in instead.";

/**
 * The sign-up form's action. Creating the account answers the same whether or not the
 * email is taken (signUpUser); what follows is an ordinary sign-in with the typed
 * password, through the same throttled code path as the sign-in form. So a new email, or
 * an existing one with its own password, lands on the dashboard; anything else gets the
 * refusal a sign-in would give, after the same bcrypt work. Sign-ups are limited per IP.
 */
export async function signUpAction(_previous: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const values = keptValues(formData);
  const parsed = signUpSchema.safeParse({
    name: formData.get("name") ?? undefined,
    email: formData.get("email"),
    password: formData.get("password"),
  });
  if (!parsed.success) return { values, errors: fieldErrorsOf(parsed.error) };
  const { ip, userAgent } = await requestAuditContext(null);
  try {
    await consumeSignUp(ip ?? "unknown");
  } catch (error) {
    if (error instanceof SignInThrottledError) return { values, message: "Too many sign-ups from your network. Wait an hour, then try again." };
    throw error;
  }
  await signUpUser(parsed.data, { ip, userAgent });
  const result = await signInWithPassword({ email: parsed.data.email, password: parsed.data.password }, { ip, userAgent });
  if (!result.ok) {
    if (result.code === "throttled") return { values, message: SIGN_IN_ERROR_MESSAGES.throttled };
    return { values, errors: { email: [SIGN_UP_NOT_SIGNED_IN] } };
  }
  await setSessionCookie(result.user.id, result.sessionId);
  redirect("/dashboard");
}
