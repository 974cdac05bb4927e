"use server";

import { redirect } from "next/navigation";
import { requestAuditContext } from "@/lib/auth";
import { setSessionCookie } from "@/lib/sessions/session-cookie";
import { SIGN_IN_ERROR_MESSAGES } from "@/lib/sign-in-errors";
import { clearChallengeCookie, readChallengeCookie } from "@/lib/two-factor/challenge-cookie";
import { completeSignInChallenge } from "@/lib/two-factor/sign-in-challenge";
import { safeCallbackUrl } from "@/lib/validations/callback-url";
import { secondFactorCodeSchema } from "@/lib/validations/two-factor";

export type SecondStepState = { errors?: { code?: string[] }; message?: string; expired?: boolean };

const EXPIRED = "This sign-in has expired or was already used. Sign in again.";
const WRONG_CODE = "That code is not right, or it was already used. Try the newest code from your app.";

/**
 * The second sign-in step's action. The only thing that can make a session here is the
 * challenge cookie the first step set (httpOnly, signed, single-use, five minutes) plus a
 * valid code for that challenge's account: called directly without it, it refuses.
 */
export async function twoFactorSignInAction(_previous: SecondStepState, formData: FormData): Promise<SecondStepState> {
  const parsed = secondFactorCodeSchema.safeParse(formData.get("code"));
  if (!parsed.success) return { errors: { code: parsed.error.issues.map((issue) => issue.message) } };
  const { ip, userAgent } = await requestAuditContext(null);
  const result = await completeSignInChallenge(await readChallengeCookie(), parsed.data, { ip, userAgent });
  if (!result.ok) {
    if (result.code === "expired") {
      await clearChallengeCookie();
      return { message: EXPIRED, expired: true };
    }
    if (result.code === "throttled") return { message: SIGN_IN_ERROR_MESSAGES.throttled };
    return { errors: { code: [WRONG_CODE] } };
  }
  await clearChallengeCookie();
  await setSessionCookie(result.userId, result.sessionId);
  redirect(safeCallbackUrl(formData.get("callbackUrl")));
}
