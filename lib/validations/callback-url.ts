/**
 * Where a sign-in may send the browser afterwards: a path on this portal, nothing else.
 *
 * The value is resolved with `new URL(value, origin)` the way a browser would, and kept only
 * if it stays on that origin. Before that, anything a browser would quietly rewrite is
 * refused outright, because the rewrite is where the open redirects live: "/\t/evil.example"
 * loses its tab and becomes "//evil.example" (another host), "/\evil.example" is read as
 * "//evil.example", and the same characters percent-encoded ("/%09/…", "/%5C…") come back
 * once a router decodes the path. Control characters are refused raw or encoded, so "%0A"
 * is a refusal, never a 500. No server or browser code is imported: the forms use it too.
 */
const PLACEHOLDER_ORIGIN = "https://keyport.invalid";

// Backslash and every C0/C1 control character (tab, CR, LF included), plus DEL.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\\\u0000-\u001f\u007f-\u009f]/;

export function safeCallbackUrl(value: unknown, fallback = "/dashboard", origin = PLACEHOLDER_ORIGIN): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  // Only a path: an absolute URL, even of this very portal, is not needed and not taken.
  if (!value.startsWith("/") || value.startsWith("//")) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback; // "%E0%A4%A" and other broken escapes
  }
  if (FORBIDDEN.test(value) || FORBIDDEN.test(decoded) || decoded.startsWith("//")) return fallback;
  let resolved: URL;
  try {
    resolved = new URL(value, origin);
  } catch {
    return fallback;
  }
  if (resolved.origin !== new URL(origin).origin || resolved.pathname.startsWith("//")) return fallback;
  return resolved.pathname + resolved.search + resolved.hash;
}

/**
 * next-auth's redirect callback: next-auth hands it absolute URLs of its own origin
 * (`baseUrl/...`) as well as paths; both come back as a URL on `baseUrl`, anything else
 * as the dashboard.
 */
export function safeRedirectOnOrigin(url: string, baseUrl: string, fallback = "/dashboard"): string {
  const base = new URL(baseUrl);
  let path: unknown = url;
  if (url === base.origin || url === baseUrl) path = "/";
  else if (url.startsWith(`${base.origin}/`)) path = url.slice(base.origin.length);
  return new URL(safeCallbackUrl(path, fallback, base.origin), base.origin).toString();
}
