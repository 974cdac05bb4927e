import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";

/**
 * Runs before every page (not /api, not static assets):
 * - a Content-Security-Policy with a fresh nonce per request; Next.js puts the nonce on its
 *   own scripts, so no script runs without it (no 'unsafe-inline' for scripts);
 * - optimistic redirects: a page under /dashboard or /admin without a session cookie goes
 *   to sign-in and comes back afterwards. This is a convenience, not the check: every page,
 *   action and route handler verifies the caller itself.
 */
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
const PROTECTED = /^\/(dashboard|admin|account)(\/|$)/;

/**
 * The page's Content-Security-Policy. `upgradeInsecureRequests` turns every http: subresource
 * into https:; it is only right when the page itself came over https, because a portal served
 * over plain HTTP on an internal name (not localhost, which browsers never upgrade) would
 * otherwise ask for its stylesheet and scripts over an https: that nothing answers.
 */
export function contentSecurityPolicy(nonce: string, options: { development: boolean; upgradeInsecureRequests: boolean }) {
  const { development } = options;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes and the toast library's injected <style> need this; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.upgradeInsecureRequests && !development ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * Whether the page was reached over https: the portal's own URL says so (NEXTAUTH_URL), or
 * a proxy of ours says so (X-Forwarded-Proto, believed only when TRUST_PROXY is set: otherwise
 * any client could send it). The server itself speaks only plain HTTP (scripts/serve.mjs), and
 * request.nextUrl's scheme is no guide: Next derives it from that same header, trusted or not.
 */
export function servedOverHttps(headers: Headers, config: { NEXTAUTH_URL?: string; TRUST_PROXY: boolean }) {
  if (config.NEXTAUTH_URL?.startsWith("https:")) return true;
  const forwarded = config.TRUST_PROXY ? headers.get("x-forwarded-proto") : null;
  // A chain of proxies appends: the first entry is the scheme the client used.
  return forwarded?.split(",")[0].trim().toLowerCase() === "https";
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (PROTECTED.test(pathname) && !SESSION_COOKIES.some((name) => request.cookies.has(name))) {
    const signIn = new URL("/sign-in", request.url);
    signIn.searchParams.set("callbackUrl", pathname + search);
    return NextResponse.redirect(signIn);
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = contentSecurityPolicy(nonce, {
    development: env.NODE_ENV === "development",
    upgradeInsecureRequests: servedOverHttps(request.headers, env),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api|_next/static|_next/image|favicon.ico).*)",
      // Prefetches are not rendered documents and need no policy of their own.
      missing: [{ type: "header", key: "next-router-prefetch" }, { type: "header", key: "purpose", value: "prefetch" }],
    },
  ],
};
