/**
 * The codes next-auth puts in the sign-in page's `?error=` (and in signIn()'s result.error),
 * with what the page says for each. Shared by lib/auth.ts, which sends them, and the sign-in
 * form, which shows them; nothing here may import server code.
 */
export const SIGN_IN_ERROR_MESSAGES = {
  CredentialsSignin: "Email or password is incorrect.",
  throttled: "Too many failed attempts. Wait a few minutes, then try again.",
  OAuthAccountNotLinked: "This email already has a Keyport account. Sign in with its password.",
  OAuthNoVerifiedEmail: "GitHub did not share a verified email address. Verify your primary email on GitHub, then try again.",
  AccessDenied: "This account cannot sign in. Ask an administrator.",
  two_factor_required: "Enter the code from your authenticator app to finish signing in.",
} as const;

export type SignInErrorCode = keyof typeof SIGN_IN_ERROR_MESSAGES;

/** The page's words for a code; the code comes from the URL, so only own keys count ("__proto__" is not one). */
export function signInErrorMessage(code: string | null | undefined): string {
  return code && Object.hasOwn(SIGN_IN_ERROR_MESSAGES, code) ? SIGN_IN_ERROR_MESSAGES[code as SignInErrorCode] : "Sign-in failed. Try again.";
}

/** Where a refused sign-in is sent: the sign-in page, saying why. */
export function signInErrorPage(code: SignInErrorCode): string {
  return `/sign-in?error=${code}`;
}
