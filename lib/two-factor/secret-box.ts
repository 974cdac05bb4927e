import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { authSecret } from "../auth-secret";

/**
 * Keys for two-factor data, derived from the secret that already signs sessions
 * (NEXTAUTH_SECRET, or data/auth-secret in the embedded mode) with HKDF, one key per
 * purpose, so no new secret has to be configured and no key is used for two things.
 * Changing NEXTAUTH_SECRET therefore makes every stored TOTP secret unreadable: those
 * users sign in with a recovery code, or an admin resets their second factor.
 */
function derivedKey(purpose: string, secret = authSecret()): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "keyport-two-factor", purpose, 32));
}

const VERSION = "v1";

/**
 * Encrypts with AES-256-GCM. `context` (for a TOTP secret, the user's id) is bound as
 * additional data: a ciphertext copied to another row, or used for another purpose, does
 * not decrypt. Output: "v1.<iv>.<ciphertext>.<tag>", base64url.
 */
export function seal(plaintext: string, purpose: string, context: string, secret?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derivedKey(purpose, secret), iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, body, cipher.getAuthTag()].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}

/** The plaintext of a sealed value, or null when it was tampered with, sealed for another context or purpose, or under another secret. */
export function unseal(sealed: string | null | undefined, purpose: string, context: string, secret?: string): string | null {
  const parts = sealed?.split(".");
  if (!parts || parts.length !== 4 || parts[0] !== VERSION) return null;
  try {
    const [iv, body, tag] = parts.slice(1).map((part) => Buffer.from(part, "base64url"));
    if (iv.length !== 12 || tag.length !== 16) return null;
    const decipher = createDecipheriv("aes-256-gcm", derivedKey(purpose, secret), iv);
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** An HMAC-SHA256 signature (base64url) under a purpose's derived key. */
export function sign(value: string, purpose: string): string {
  return createHmac("sha256", derivedKey(purpose)).update(value).digest("base64url");
}

/** Whether `signature` is sign(value, purpose), compared in constant time. */
export function signatureMatches(value: string, signature: string, purpose: string): boolean {
  const expected = Buffer.from(sign(value, purpose));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
