import { cookies } from "next/headers";
import { secureSessionCookies } from "../sessions/session-cookie";
import { isWellFormedUserToken } from "./user-tokens";

/**
 * A mail's link (`/verify-email/open?token=…`, `/reset-password/open?token=…`) is answered by
 * a route that moves the token into this cookie and redirects to the page without it. So the
 * token is in one URL, once: the page the person sees, bookmarks, keeps in history, or leaves
 * by a link (a Referer) never carries it, and the token is used only by the page's POST, which
 * a mail scanner fetching the link does not make. httpOnly, scoped to the page's path.
 */
export type LinkPage = "/verify-email" | "/reset-password" | "/invite";

const COOKIE: Record<LinkPage, string> = { "/verify-email": "keyport-verify-link", "/reset-password": "keyport-reset-link", "/invite": "keyport-invite-link" };
// An invitation may first need a sign-up and a verified address, so its cookie lasts a day.
const MAX_AGE_SECONDS: Record<LinkPage, number> = { "/verify-email": 60 * 60, "/reset-password": 30 * 60, "/invite": 24 * 60 * 60 };

const options = (page: LinkPage) => ({ httpOnly: true, sameSite: "lax" as const, path: page, secure: secureSessionCookies() });

/**
 * The response to a mail's link: 303 to the clean page, token in the cookie, nothing cached,
 * no Referer sent from it. A malformed token is dropped (the page then says the link is not valid).
 */
export function linkOpenedResponse(request: Request, page: LinkPage): Response {
  const token = new URL(request.url).searchParams.get("token");
  const headers = new Headers({ Location: page, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });
  const value = isWellFormedUserToken(token) ? token : "";
  const attributes = [`${COOKIE[page]}=${value}`, `Path=${page}`, "HttpOnly", "SameSite=Lax", `Max-Age=${value ? MAX_AGE_SECONDS[page] : 0}`];
  if (secureSessionCookies()) attributes.push("Secure");
  headers.append("Set-Cookie", attributes.join("; "));
  return new Response(null, { status: 303, headers });
}

/** The token the page's link left in this browser, if any (pages and actions). */
export async function readLinkToken(page: LinkPage): Promise<string | null> {
  const value = (await cookies()).get(COOKIE[page])?.value;
  return isWellFormedUserToken(value) ? value : null;
}

/** Forgets the token once it is used (or refused): actions only. */
export async function clearLinkToken(page: LinkPage): Promise<void> {
  (await cookies()).set(COOKIE[page], "", { ...options(page), maxAge: 0 });
}
