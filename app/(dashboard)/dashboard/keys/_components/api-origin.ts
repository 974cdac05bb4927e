import { headers } from "next/headers";
import { env } from "@/lib/env";

/** The origin the curl examples point at: NEXTAUTH_URL if set, else the host the browser used. */
export async function apiOrigin(): Promise<string> {
  if (env.NEXTAUTH_URL) return new URL(env.NEXTAUTH_URL).origin;
  const requestHeaders = await headers();
  const host = requestHeaders.get("x-forwarded-host") ?? requestHeaders.get("host") ?? "localhost:3000";
  const proto = requestHeaders.get("x-forwarded-proto") ?? "http";
  return `${proto}://${host}`;
}
