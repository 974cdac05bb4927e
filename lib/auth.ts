import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { authSecret } from "./auth-secret";
import { env } from "./env";
import { SignInThrottledError } from "./rate-limit/sign-in-throttle";
import { auditContextFrom } from "./request-context";
import { createSession } from "./sessions/create-session";
import { loadActiveSession } from "./sessions/load-active-session";
import { revokeSession } from "./sessions/revoke-sessions";
import { decodeSessionToken, secureSessionCookies, sessionCookieName } from "./sessions/session-cookie";
import { SESSION_MAX_AGE_SECONDS } from "./sessions/session-policy";
import { setChallengeCookie } from "./two-factor/challenge-cookie";
import { challengeIfTwoFactor, hasTwoFactor } from "./two-factor/sign-in-challenge";
import { type SignInErrorCode, signInErrorPage } from "./sign-in-errors";
import { signInWithOAuth, verifiedPrimaryEmail } from "./users/oauth-user";
import { signInWithPassword } from "./users/sign-in-with-password";
import { signInSchema } from "./validations/auth";
import { safeRedirectOnOrigin } from "./validations/callback-url";

export const githubEnabled = Boolean(env.GITHUB_ID && env.GITHUB_SECRET);

/**
 * Thrown by the jwt callback for a cookie whose Session row no longer signs in (revoked,
 * idle, expired, user disabled). next-auth's session route answers it by clearing the
 * cookie instead of re-issuing it, so GET /api/auth/session never extends an ended session.
 */
class SessionEndedError extends Error {
  constructor() {
    super("The session has ended.");
    this.name = "SessionEndedError";
  }
}

/**
 * Sessions are rows in the Session table (lib/sessions/); the JWT cookie carries only the
 * user id (`sub`) and the row's id (`sid`), and every request checks the row. JWT is still
 * the strategy because next-auth's credentials provider works only with it.
 */
export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  // The cookie's name follows NEXTAUTH_URL here and in the sign-in actions (session-cookie.ts).
  useSecureCookies: secureSessionCookies(),
  pages: { signIn: "/sign-in", error: "/sign-in" },
  logger: {
    error(code, metadata) {
      // An ended session is an answer, not a fault: next-auth clears the cookie, nothing to log.
      if (metadata instanceof SessionEndedError) return;
      const message = metadata instanceof Error ? metadata.message : (metadata as { message?: string })?.message;
      console.error(`[next-auth][error][${code}]`, message ?? "", metadata);
    },
  },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials ?? {});
        if (!parsed.success) return null;
        const context = auditContextFrom(new Headers(request?.headers as Record<string, string> | undefined), null);
        const result = await signInWithPassword(parsed.data, { ip: context.ip, userAgent: context.userAgent });
        if (result.ok) return { ...result.user, sessionId: result.sessionId };
        if (result.code === "throttled") throw new SignInThrottledError(result.retryAfterSeconds);
        if (result.code === "two_factor_required") {
          // No session: the challenge cookie, and next-auth sends the browser to the sign-in
          // page with this code, which forwards it to the second step (/sign-in/two-factor).
          await setChallengeCookie(result.challenge);
          throw new Error("two_factor_required" satisfies SignInErrorCode);
        }
        return null;
      },
    }),
    ...(githubEnabled
      ? [
          GitHubProvider({
            clientId: env.GITHUB_ID!,
            clientSecret: env.GITHUB_SECRET!,
            // The profile's email is GitHub's verified primary address or nothing (verifiedPrimaryEmail).
            userinfo: {
              url: "https://api.github.com/user",
              async request({ client, tokens }) {
                const profile = await client.userinfo(tokens.access_token!);
                const response = await fetch("https://api.github.com/user/emails", {
                  headers: { Authorization: `Bearer ${tokens.access_token}`, "User-Agent": "keyport" },
                });
                return { ...profile, email: verifiedPrimaryEmail(response.ok ? await response.json() : null) ?? undefined };
              },
            },
          }),
        ]
      : []),
  ],
  callbacks: {
    async signIn({ user, account, profile }) {
      if (account?.provider === "credentials") return true;
      if (!account) return false;
      const result = await signInWithOAuth({
        email: user.email ?? null,
        name: user.name ?? profile?.name ?? null,
        provider: account.provider,
        providerAccountId: account.providerAccountId,
      });
      if (!result.ok) {
        if (result.reason === "email_in_use") return signInErrorPage("OAuthAccountNotLinked");
        if (result.reason === "no_verified_email") return signInErrorPage("OAuthNoVerifiedEmail");
        return false; // disabled: next-auth's AccessDenied
      }
      user.id = result.id;
      const challenge = await challengeIfTwoFactor(result.id, account.provider);
      if (challenge) {
        // Returning a path makes next-auth redirect without a session cookie: the session is
        // made only by the second step, with the code (lib/two-factor/sign-in-challenge.ts).
        await setChallengeCookie(challenge);
        return "/sign-in/two-factor";
      }
      return true;
    },
    async jwt({ token, user, account }) {
      if (user) {
        // A sign-in: the credentials path made its Session row already; an OAuth sign-in makes one here.
        let sessionId = (user as { sessionId?: string }).sessionId;
        if (!sessionId) {
          // The signIn callback sent an account with two-factor to the second step; never a session here.
          if (await hasTwoFactor(user.id)) throw new SessionEndedError();
          sessionId = await createSession({ userId: user.id, method: account?.provider ?? "oauth", ...auditContextFrom(await headers(), null) });
        }
        return { sub: user.id, sid: sessionId };
      }
      if (!token.sub || !token.sid || !(await loadActiveSession(token.sid, token.sub))) throw new SessionEndedError();
      return { sub: token.sub, sid: token.sid };
    },
    async session({ session, token }) {
      return { expires: session.expires, user: { id: token.sub! } };
    },
    async redirect({ url, baseUrl }) {
      return safeRedirectOnOrigin(url, baseUrl);
    },
  },
  events: {
    // POST /api/auth/signout: the cookie is cleared by next-auth, the session ended here.
    async signOut({ token }) {
      if (token?.sub && token.sid) await revokeSession(token.sub, token.sid);
    },
  },
};

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
  /** Whether the account has two-factor sign-in on (REQUIRE_2FA_FOR_ADMINS asks it of admins). */
  twoFactorEnabled: boolean;
  /** The Session row this request's cookie names ("this device" on the sessions page). */
  sessionId: string;
}

/**
 * The signed-in user, read fresh from the database on every call: the cookie's Session row
 * must exist, be active (not revoked, not idle, not expired) and belong to an enabled user,
 * so a sign-out, a disable or a role change takes effect on the very next request.
 */
export async function currentUser(): Promise<SessionUser | null> {
  const cookie = await decodeSessionToken((await cookies()).get(sessionCookieName())?.value);
  if (!cookie) return null;
  const active = await loadActiveSession(cookie.sessionId, cookie.userId);
  return active ? { ...active.user, sessionId: active.sessionId } : null;
}

/** For pages and actions that need a signed-in user; anyone else goes to sign-in. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  return user;
}

/**
 * The one rule for who may use the admin console, asked by its layout, every page, every
 * server action and every route handler: an admin, and with REQUIRE_2FA_FOR_ADMINS set, an
 * admin who has two-factor sign-in on.
 */
export function adminAccess(user: SessionUser | null): "allowed" | "not_admin" | "needs_two_factor" {
  if (!user || user.role !== "ADMIN") return "not_admin";
  if (env.REQUIRE_2FA_FOR_ADMINS && !user.twoFactorEnabled) return "needs_two_factor";
  return "allowed";
}

/** For admin server actions and route handlers: the admin, or null for anyone adminAccess refuses (they answer "not found"). */
export async function currentAdmin(): Promise<SessionUser | null> {
  const user = await currentUser();
  return adminAccess(user) === "allowed" ? user : null;
}

/**
 * For the admin console's pages: anyone who is not an admin gets a 404, not a hint that it
 * exists; an admin who must turn on two-factor first is sent to do so.
 */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await currentUser();
  const access = adminAccess(user);
  if (access === "not_admin") notFound();
  if (access === "needs_two_factor") redirect("/account/two-factor?required=admin");
  return user!;
}

/** Audit context for the current server action or page request. */
export async function requestAuditContext(actorId: string | null) {
  return auditContextFrom(await headers(), actorId);
}
