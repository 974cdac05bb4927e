import bcrypt from "bcrypt";
import { env } from "./env";

/** Hashes a user's password with bcrypt at the configured cost (12 by default). */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, env.BCRYPT_COST);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. With no hash (unknown email, OAuth-only
 * account) it still runs one compare against a dummy hash of the same cost, so a wrong
 * password and an unknown email take about the same time.
 */
export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  if (!hash) {
    dummyHash ??= bcrypt.hash("keyport-dummy-password", env.BCRYPT_COST);
    await bcrypt.compare(password, await dummyHash);
    return false;
  }
  return bcrypt.compare(password, hash);
}

/** Warms the dummy hash at start-up so the first unknown-email sign-in is not faster than the rest. */
export function warmPasswordHashing() {
  dummyHash ??= bcrypt.hash("keyport-dummy-password", env.BCRYPT_COST);
  return dummyHash;
}
