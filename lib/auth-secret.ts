import { randomBytes } from "node:crypto";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "./env";
import { createPrivateDir } from "./private-files";

/**
 * The secret that signs session JWTs. NEXTAUTH_SECRET wins; otherwise one is generated
 * on first start and kept in data/auth-secret (mode 600), so a fresh clone needs no .env
 * and sessions survive restarts. Every instance of a scale-out deployment must share
 * NEXTAUTH_SECRET.
 */
export function authSecret(): string {
  if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  const file = path.resolve("data", "auth-secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    createPrivateDir(path.dirname(file));
    const secret = randomBytes(32).toString("base64url");
    try {
      writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
      chmodSync(file, 0o600);
      return secret;
    } catch {
      // Another process wrote it first: use theirs.
      return readFileSync(file, "utf8").trim();
    }
  }
}
