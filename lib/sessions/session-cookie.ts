import { decode, encode, type JWT } from "next-auth/jwt";
import { cookies } from "next/headers";
import { authSecret } from "../auth-secret";
import { revokeSession } from "./revoke-sessions";
import { env } from "../env";
import { SESSION_MAX_AGE_SECONDS } from "./session-policy";

/**
 * next-auth's session cookie, shared by next-auth itself (lib/auth.ts sets
 * useSecureCookies from here) and by the server actions that sign in without JavaScript,
 * so both write and read the very same cookie. Its JWT carries only `sub` (the user) and
 * `sid` (the Session row); everything else is read from the database on each request.
 */
export function secureSessionCookies(): boolean {
  return env.NEXTAUTH_URL?.startsWith("https://") ?? false;
}

export function sessionCookieName(): string {
  return `${secureSessionCookies() ? "__Secure-" : ""}next-auth.session-token`;
}

/** The attributes next-auth gives its session cookie. */
export function sessionCookieOptions() {
  return { httpOnly: true, sameSite: "lax" as const, path: "/", secure: secureSessionCookies(), maxAge: SESSION_MAX_AGE_SECONDS };
}

/** The cookie value for a session, encoded exactly as next-auth encodes its own. */
export function encodeSessionToken(userId: string, sessionId: string): Promise<string> {
  return encode({ token: { sub: userId, sid: sessionId }, secret: authSecret(), maxAge: SESSION_MAX_AGE_SECONDS });
}

/** The user and session a cookie names, or null for anything that is not a valid token of ours. */
export async function decodeSessionToken(value: string | undefined): Promise<{ userId: string; sessionId: string } | null> {
  if (!value) return null;
  let token: JWT | null;
  try {
    token = await decode({ token: value, secret: authSecret() });
  } catch {
    return null;
  }
  return typeof token?.sub === "string" && typeof token.sid === "string" ? { userId: token.sub, sessionId: token.sid } : null;
}

/**
 * Signs this browser in: sets next-auth's session cookie for a Session row (server actions
 * and route handlers only). A session the browser held until now ends, so the sessions page
 * never lists a browser twice.
 */
export async function setSessionCookie(userId: string, sessionId: string): Promise<void> {
  const jar = await cookies();
  const previous = await decodeSessionToken(jar.get(sessionCookieName())?.value);
  if (previous && previous.sessionId !== sessionId) await revokeSession(previous.userId, previous.sessionId);
  jar.set(sessionCookieName(), await encodeSessionToken(userId, sessionId), sessionCookieOptions());
}

/** Removes the session cookie from this browser (the row is ended separately). */
export async function clearSessionCookie(): Promise<void> {
  (await cookies()).set(sessionCookieName(), "", { ...sessionCookieOptions(), maxAge: 0 });
}
