import { createHash, randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { secureSessionCookies } from "./session-cookie";

/**
 * A long-lived random cookie that tells Keyport a browser it has seen before, so a sign-in
 * from a new device can be told to the account's owner (lib/sessions/create-session.ts).
 * Only its SHA-256 is stored (Session.deviceHash); it says nothing about the user and is
 * not a credential: stealing it only hides one "new sign-in" notice.
 */
const COOKIE = "keyport-device";
const TWO_YEARS_SECONDS = 2 * 365 * 86_400;

export function hashDeviceId(deviceId: string): string {
  return createHash("sha256").update(deviceId).digest("hex");
}

/**
 * This request's device id: the cookie's value, or a new one set on the response. Null
 * outside a request that can set cookies (the CLI, a test calling lib/ directly).
 */
export async function requestDeviceId(): Promise<string | null> {
  let jar: Awaited<ReturnType<typeof cookies>>;
  try {
    jar = await cookies();
  } catch {
    return null;
  }
  const existing = jar.get(COOKIE)?.value;
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const deviceId = randomBytes(32).toString("base64url");
  try {
    jar.set(COOKIE, deviceId, { httpOnly: true, sameSite: "lax", path: "/", secure: secureSessionCookies(), maxAge: TWO_YEARS_SECONDS });
  } catch {
    // Cookies are read-only here (a page render): without a cookie the device is unknown.
    return null;
  }
  return deviceId;
}
