import { cookies } from "next/headers";
import { secureSessionCookies } from "../sessions/session-cookie";
import { CHALLENGE_TTL_MS } from "./sign-in-challenge";

/**
 * The cookie that carries a sign-in challenge from the first step to /sign-in/two-factor:
 * httpOnly, SameSite=Lax (the GitHub callback arrives as a top-level navigation), Secure
 * when the portal is served over https, and gone after five minutes like its row.
 */
export function challengeCookieName(): string {
  return `${secureSessionCookies() ? "__Secure-" : ""}keyport.two-factor-challenge`;
}

function challengeCookieOptions(maxAgeSeconds: number) {
  return { httpOnly: true, sameSite: "lax" as const, path: "/", secure: secureSessionCookies(), maxAge: maxAgeSeconds };
}

/** Sets the challenge cookie (server actions and route handlers only). */
export async function setChallengeCookie(value: string): Promise<void> {
  (await cookies()).set(challengeCookieName(), value, challengeCookieOptions(CHALLENGE_TTL_MS / 1000));
}

export async function readChallengeCookie(): Promise<string | undefined> {
  return (await cookies()).get(challengeCookieName())?.value;
}

export async function clearChallengeCookie(): Promise<void> {
  (await cookies()).set(challengeCookieName(), "", challengeCookieOptions(0));
}
