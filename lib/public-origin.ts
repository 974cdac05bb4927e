import { env } from "./env";

/**
 * The origin clients reach this portal at, for `servers` and the docs' examples: NEXTAUTH_URL
 * when set, else the host the request named (never the bind address the server listens on).
 */
export function publicOrigin(headers: Headers, fallback = "http://localhost:3000"): string {
  if (env.NEXTAUTH_URL) return new URL(env.NEXTAUTH_URL).origin;
  const host = (headers.get("x-forwarded-host") ?? headers.get("host") ?? "").split(",")[0].trim();
  const proto = (headers.get("x-forwarded-proto") ?? "").split(",")[0].trim();
  // A Host header is the client's to choose: anything but a plain host[:port] falls back.
  const bindAll = /^(0\.0\.0\.0|\[::\])(:|$)/;
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(host) || bindAll.test(host)) {
    return bindAll.test(new URL(fallback).host) ? "http://localhost:3000" : fallback;
  }
  return `${proto === "https" ? "https" : "http"}://${host}`;
}
