import { createHash, randomInt } from "node:crypto";

/** How many recovery codes an enrollment (or a regeneration) gives. */
export const RECOVERY_CODE_COUNT = 10;

// Lower-case letters and digits without 0/o, 1/l/i: nothing to misread when copying from paper.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const GROUPS = 3;
const GROUP_LENGTH = 4;

/**
 * One recovery code, "xxxx-xxxx-xxxx": 12 characters from a 31-letter alphabet, about 59
 * random bits. That is far beyond guessing (and the second step is throttled), so a fast
 * SHA-256 is a sound way to store it; a slow hash would only slow the sign-in down.
 */
export function newRecoveryCode(): string {
  const groups = Array.from({ length: GROUPS }, () => Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(""));
  return groups.join("-");
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
}

/** A code as people type it back: any case, spaces or dashes anywhere. */
export function normalizeRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, "");
}

/** Whether the input has the shape of a recovery code (it may still be wrong). */
export function looksLikeRecoveryCode(input: string): boolean {
  const code = normalizeRecoveryCode(input);
  return code.length === GROUPS * GROUP_LENGTH && [...code].every((c) => ALPHABET.includes(c));
}

/** What is stored for a code: SHA-256 of its normalized form, hex. */
export function hashRecoveryCode(input: string): string {
  return createHash("sha256").update(normalizeRecoveryCode(input)).digest("hex");
}
