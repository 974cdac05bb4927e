import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * The key format: `<prefix>_<live|test>_<random><checksum>`.
 *
 * - random: 32 base62 characters from the crypto RNG (about 190 bits).
 * - checksum: CRC32 of everything before it, as 6 base62 characters (the GitHub
 *   token scheme), so a mistyped or invented key is refused without a database read.
 *
 * This file has no Next.js or database imports: it is pure and fully unit-tested.
 */

export const KEY_ENVIRONMENTS = ["live", "test"] as const;
export type KeyEnvironment = (typeof KEY_ENVIRONMENTS)[number];

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const RANDOM_LENGTH = 32;
export const CHECKSUM_LENGTH = 6;
/** How many random characters the display start shows after the environment. */
export const START_RANDOM_LENGTH = 4;
/** Longest key we will even look at; anything longer is malformed without parsing. */
const MAX_KEY_LENGTH = 64;

/** The regex secret scanners can use for keys of a given prefix. */
export function keyPattern(prefix: string): RegExp {
  let pattern = patternCache.get(prefix);
  if (!pattern) {
    pattern = new RegExp(`^${prefix}_(live|test)_[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);
    patternCache.set(prefix, pattern);
  }
  return pattern;
}
const patternCache = new Map<string, RegExp>();

/** Random base62 characters without modulo bias: bytes >= 248 are thrown away. */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** CRC32 of the body as exactly 6 base62 characters (62^6 > 2^32). */
export function checksumOf(body: string): string {
  let value = crc32(body);
  let out = "";
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

export interface GeneratedKey {
  /** The plaintext: handed to the caller once, never stored or logged. */
  secret: string;
  hash: string;
  start: string;
}

/** Generates a new key. Only `hash` and `start` may be persisted. */
export function generateApiKey(prefix: string, environment: KeyEnvironment): GeneratedKey {
  const body = `${prefix}_${environment}_${randomBase62(RANDOM_LENGTH)}`;
  const secret = body + checksumOf(body);
  return { secret, hash: hashApiKey(secret), start: displayStart(secret) };
}

/** SHA-256 of the whole key, hex. A fast hash is right here: keys are 190 random bits, not passwords. */
export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** "kp_live_Ab3x": enough to recognise a key, far too little to use it. */
export function displayStart(secret: string): string {
  const envEnd = secret.indexOf("_", secret.indexOf("_") + 1) + 1;
  return secret.slice(0, envEnd + START_RANDOM_LENGTH);
}

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

export type ParsedKey =
  | { ok: true; prefix: string; environment: KeyEnvironment; legacy: false }
  | { ok: true; prefix: "MV_SECRET"; environment: "live"; legacy: true }
  | { ok: false };

const LEGACY_PATTERN = /^MV_SECRET_[0-9a-f]{64}$/;

/**
 * Checks shape and checksum. Never throws, whatever it is given; reads nothing.
 * Keys imported from the tutorial (`MV_SECRET_<64 hex>`) have no checksum and are
 * recognised by shape only.
 */
export function parseApiKey(candidate: unknown, prefix: string): ParsedKey {
  if (typeof candidate !== "string" || candidate.length > MAX_KEY_LENGTH + 16) return { ok: false };
  if (LEGACY_PATTERN.test(candidate)) return { ok: true, prefix: "MV_SECRET", environment: "live", legacy: true };
  if (candidate.length > MAX_KEY_LENGTH || !keyPattern(prefix).test(candidate)) return { ok: false };
  const body = candidate.slice(0, -CHECKSUM_LENGTH);
  const checksum = candidate.slice(-CHECKSUM_LENGTH);
  if (!constantTimeEqual(checksum, checksumOf(body))) return { ok: false };
  const environment = candidate.slice(prefix.length + 1, prefix.length + 5) as KeyEnvironment;
  return { ok: true, prefix, environment, legacy: false };
}
