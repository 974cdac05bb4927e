import { verify } from "node:crypto";
import type { LeakPublicKeys } from "./public-keys";

// A DER-encoded P-256 signature is at most 72 bytes: 96 base64 characters. Anything else is refused unread.
const BASE64_SIGNATURE = /^[A-Za-z0-9+/]{8,128}={0,2}$/;

/**
 * Checks GitHub's `Github-Public-Key-Signature` (base64 of a DER ECDSA P-256 / SHA-256
 * signature over the raw body) with the key `Github-Public-Key-Identifier` names.
 * Never throws: an unknown identifier or an unreadable signature is simply not valid.
 */
export function verifyLeakSignature(rawBody: Uint8Array, keyIdentifier: string | null, signature: string | null, keys: LeakPublicKeys): boolean {
  if (!keyIdentifier || !signature || !BASE64_SIGNATURE.test(signature)) return false;
  const key = keys.get(keyIdentifier);
  if (!key) return false;
  try {
    return verify("sha256", rawBody, { key, dsaEncoding: "der" }, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}
