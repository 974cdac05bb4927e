import type { NextAuthOptions } from "next-auth";
import { getServerSession } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { authSecret } from "./auth-secret";
import { db } from "./db";
import { env } from "./env";
import { auditContextFrom } from "./request-context";
import { assertSignInAllowed, recordFailedSignIn, recordSuccessfulSignIn } from "./rate-limit/sign-in-throttle";
import { authenticateUser } from "./users/authenticate-user";
import { signInErrorPage } from "./sign-in-errors";
import { signInWithOAuth, verifiedPrimaryEmail } from "./users/oauth-user";
import { signInSchema } from "./validations/auth";

/** How often a session is re-checked against the database (disabled users, role changes). */
const SESSION_RECHECK_MS = 60_000;

export const githubEnabled = Boolean(env.GITHUB_ID && env.GITHUB_SECRET);

/** The error codes the sign-in form turns into messages. */

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  // Credentials sign-in requires JWT sessions; set explicitly so no adapter can change it.
  session: { strategy: "jwt", maxAge: 7 * 24 * 60 * 60 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials ?? {});
        if (!parsed.success) return null;
        const requestHeaders = new Headers(request?.headers as Record<string, string> | undefined);
        const context = auditContextFrom(requestHeaders, null);
        const { email, password } = parsed.data;
        const ip = context.ip ?? "unknown";
        await assertSignInAllowed(email, ip);
        const user = await authenticateUser(email, password, context);
        await (user ? recordSuccessfulSignIn(email) : recordFailedSignIn(email, ip));
        return user;
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
      return true;
    },
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        const role = (user as { role?: "USER" | "ADMIN" }).role;
        token.role = role ?? "USER";
        // OAuth users arrive without a role: read it from the database on the next call.
        token.checkedAt = role ? Date.now() : 0;
        return token;
      }
      if (!token.checkedAt || Date.now() - token.checkedAt > SESSION_RECHECK_MS) {
        const current = token.sub
          ? await db.user.findUnique({ where: { id: token.sub }, select: { role: true, disabledAt: true } })
          : null;
        token.checkedAt = Date.now();
        token.role = current?.role ?? "USER";
        token.revoked = !current || current.disabledAt !== null;
      }
      return token;
    },
    async session({ session, token }) {
      if (token.revoked || !token.sub) return { ...session, user: undefined };
      session.user = { ...session.user, id: token.sub, role: token.role ?? "USER" };
      return session;
    },
  },
};

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
}

/**
 * The signed-in user, read fresh from the database on every call: a disabled account or
 * a changed role takes effect on the very next request, whatever the JWT says.
 */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true, disabledAt: true } });
  if (!user || user.disabledAt) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** For pages and actions that need a signed-in user; anyone else goes to sign-in. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  return user;
}

/** For the admin console: anyone who is not an admin gets a 404, not a hint that it exists. */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user || user.role !== "ADMIN") notFound();
  return user;
}

/** Audit context for the current server action or page request. */
export async function requestAuditContext(actorId: string | null) {
  return auditContextFrom(await headers(), actorId);
}
