import { generateSecret, generateURI, verify } from "otplib";

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;

/**
 * How far a code may be from the server's clock: one step either way (±30 s), for a phone
 * whose clock drifts and a person who types the code as it changes. Wider windows give a
 * guesser more valid codes per attempt.
 */
export const TOTP_TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;

const SIX_DIGITS = /^\d{6}$/;

/** A code as people type it: spaces and dashes dropped ("123 456"). */
export function normalizeTotpCode(input: string): string {
  return input.replace(/[\s-]/g, "");
}

/** Whether the input has the shape of a TOTP code (six digits, spaces allowed). */
export function looksLikeTotpCode(input: string): boolean {
  return SIX_DIGITS.test(normalizeTotpCode(input));
}

/** A new shared secret: 160 random bits, Base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth:// URI the enrollment QR code carries. */
export function totpUri(secret: string, accountEmail: string): string {
  return generateURI({ issuer: "Keyport", label: accountEmail, secret });
}

/**
 * The time step a code belongs to, if it is valid at `now` within the tolerance and newer
 * than `afterTimeStep` (the last step this account accepted: a code is accepted once).
 * Null for a wrong, stale, replayed or malformed code.
 */
export async function matchTotpCode(secret: string, input: string, options: { now: Date; afterTimeStep?: number | null }): Promise<number | null> {
  const token = normalizeTotpCode(input);
  if (!SIX_DIGITS.test(token)) return null;
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(options.now.getTime() / 1000),
    epochTolerance: TOTP_TOLERANCE_SECONDS,
    ...(options.afterTimeStep != null ? { afterTimeStep: options.afterTimeStep } : {}),
  });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}
