import { type NextRequest, NextResponse } from "next/server";

/**
 * Optimistic redirects only: a page under /dashboard or /admin without a session cookie
 * goes to sign-in and comes back afterwards. This is a convenience, not the check: every
 * page, action and route handler verifies the caller itself. /api and assets are not matched.
 */
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

export function proxy(request: NextRequest) {
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (!hasSession) {
    const signIn = new URL("/sign-in", request.url);
    signIn.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
    return NextResponse.redirect(signIn);
  }
  return NextResponse.next();
}

export const config = { matcher: ["/dashboard/:path*", "/admin/:path*"] };
