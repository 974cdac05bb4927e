import { createPublicKey, type KeyObject } from "node:crypto";
import { z } from "zod";

/** The public keys GitHub signs secret-scanning reports with, by key identifier. */
export type LeakPublicKeys = ReadonlyMap<string, KeyObject>;

/** An ECDSA P-256 public key from PEM, or null: GitHub signs with ECDSA-NIST-P256V1-SHA256 only. */
function p256PublicKey(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1" ? key : null;
  } catch {
    return null;
  }
}

// The response of https://api.github.com/meta/public_keys/secret_scanning, pasted as it is.
const githubMetaShape = z.object({ public_keys: z.array(z.object({ key_identifier: z.string(), key: z.string() })) });
const identifierToPem = z.record(z.string(), z.string());

/**
 * LEAKS_PUBLIC_KEYS: a JSON object of key identifier to PEM public key, or GitHub's own
 * `{ "public_keys": [{ "key_identifier", "key" }] }` response. Unset or empty: no keys, and
 * POST /api/v1/leaks answers 404. A value that is not one of these, or a key that is not an
 * ECDSA P-256 public key, stops the process like any other bad setting.
 */
export const leakPublicKeysSchema = z
  .string()
  .optional()
  .transform((value, ctx): LeakPublicKeys => {
    if (!value?.trim()) return new Map();
    const fail = (message: string) => {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      return fail('must be JSON: {"<key identifier>": "<PEM public key>"}');
    }
    const meta = githubMetaShape.safeParse(json);
    const record = identifierToPem.safeParse(json);
    const entries = meta.success
      ? meta.data.public_keys.map((key) => [key.key_identifier, key.key] as const)
      : record.success
        ? Object.entries(record.data)
        : null;
    if (!entries) return fail('must be a JSON object of key identifier to PEM public key, or GitHub\'s {"public_keys": [...]}');
    const keys = new Map<string, KeyObject>();
    for (const [identifier, pem] of entries) {
      const key = p256PublicKey(pem);
      if (!identifier || !key) return fail(`the key "${identifier.slice(0, 80)}" is not an ECDSA P-256 public key in PEM`);
      keys.set(identifier, key);
    }
    return keys;
  });
