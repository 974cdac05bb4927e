import { z } from "zod";
import { leakPublicKeysSchema } from "./leaks/public-keys";
import { parseDuration } from "./validations/durations";

/**
 * The one place that reads process.env. Every variable has a default that suits the
 * embedded mode (SQLite under data/, in-process cache and limiter), so a fresh clone
 * runs with no .env at all. A bad value stops the process with a message naming it.
 */

const booleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((value) => value === "1" || value === "true" || value === "yes");

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean),
  );

const integer = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const durationList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const parsed = value.split(",").map((item) => parseDuration(item));
      if (parsed.some((ms) => ms === null)) {
        ctx.addIssue({ code: "custom", message: 'must be a comma-separated list like "0,1h,24h,7d"' });
        return z.NEVER;
      }
      return parsed as number[];
    });

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .default("file:./data/keyport.db")
    .refine((url) => /^(file:|postgres(ql)?:\/\/)/.test(url), {
      message: "must start with file: (SQLite) or postgresql:// (PostgreSQL)",
    }),
  REDIS_URL: z
    .string()
    .optional()
    .refine((url) => !url || /^rediss?:\/\//.test(url), { message: "must start with redis:// or rediss://" }),
  KEY_PREFIX: z
    .string()
    .default("kp")
    .refine((prefix) => /^[a-z][a-z0-9]{1,9}$/.test(prefix), {
      message: "must be 2-10 lower-case letters or digits, starting with a letter",
    }),
  KEY_CACHE_TTL_MS: integer(5_000, 0, 300_000),
  KEY_CACHE_MAX_ENTRIES: integer(50_000, 1, 10_000_000),
  MAX_ACTIVE_KEYS_PER_USER: integer(50, 1, 100_000),
  RATE_LIMIT_PER_MINUTE: integer(600, 1, 10_000_000),
  /** The default of a service key (one holding `verify`): it answers for a whole backend's traffic. */
  SERVICE_KEY_RATE_LIMIT_PER_MINUTE: integer(60_000, 1, 10_000_000),
  /** The grace periods a roll offers (the old key keeps working this long). */
  ROLL_GRACE_CHOICES: durationList("0,1h,24h,7d"),
  BCRYPT_COST: integer(12, 4, 15),
  SIGN_IN_ATTEMPTS_PER_IP: integer(30, 1, 100_000),
  SIGN_IN_ATTEMPTS_PER_ACCOUNT: integer(10, 1, 100_000),
  /** Sign-ups one IP may make an hour (each creates an account and costs a bcrypt hash). */
  SIGN_UPS_PER_IP_PER_HOUR: integer(20, 1, 100_000),
  /** A session unused this long is over (lib/sessions/): "30m", "24h", "7d". */
  SESSION_IDLE_TIMEOUT: z
    .string()
    .default("24h")
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (!ms) {
        ctx.addIssue({ code: "custom", message: 'must be a duration like "30m", "24h" or "7d"' });
        return z.NEVER;
      }
      return ms;
    }),
  /** Unknown (well-formed, never issued) keys one IP may present a minute before it is throttled. */
  UNKNOWN_KEYS_PER_IP_PER_MINUTE: integer(300, 1, 10_000_000),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  NEXTAUTH_URL: z.url().optional(),
  ADMIN_EMAILS: commaList,
  GITHUB_ID: z.string().optional(),
  GITHUB_SECRET: z.string().optional(),
  TRUST_PROXY: booleanFlag,
  /** GitHub secret-scanning signing keys (JSON: identifier to PEM); unset, POST /api/v1/leaks is a 404. */
  LEAKS_PUBLIC_KEYS: leakPublicKeysSchema,
  /** Serves the benchmark's comparison routes under /api/bench (npm run bench); 404 otherwise. */
  KEYPORT_BENCH: booleanFlag,
  /** The port scripts/serve.mjs listens on; links in mail use it when NEXTAUTH_URL is unset. */
  PORT: integer(3000, 1, 65_535),
  /** smtp://user:pass@host:587 or smtps://…; unset, mail is written as .eml files under MAIL_DIR. */
  SMTP_URL: z
    .string()
    .optional()
    .refine((url) => !url || /^smtps?:\/\//.test(url), { message: "must start with smtp:// or smtps://" }),
  /** The From header of every message. */
  MAIL_FROM: z.string().default("Keyport <keyport@localhost>"),
  /** Where messages go when SMTP_URL is unset (owner-readable only). */
  MAIL_DIR: z.string().default("data/mail"),
  /** Unverified accounts may sign in but not create keys. Default: on when SMTP_URL is set. */
  REQUIRE_EMAIL_VERIFICATION: z.enum(["1", "0", "true", "false", "yes", "no", ""]).optional(),
  /** Admins must turn on two-factor sign-in before the admin console opens. */
  REQUIRE_2FA_FOR_ADMINS: booleanFlag,
  /** Active (not revoked, not expired) keys a team may hold. */
  MAX_ACTIVE_KEYS_PER_TEAM: integer(200, 1, 1_000_000),
  /** How often background work (outbox, key-expiry reminders) runs, in milliseconds. */
  JOBS_INTERVAL_MS: integer(30_000, 100, 3_600_000),
});

export type Env = Omit<z.infer<typeof envSchema>, "REQUIRE_EMAIL_VERIFICATION"> & {
  REQUIRE_EMAIL_VERIFICATION: boolean;
};

function readEnv(): Env {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new Error(`Invalid Keyport configuration:\n${problems}\nSee .env.example for every variable.`);
  }
  const requireVerification = parsed.data.REQUIRE_EMAIL_VERIFICATION;
  return {
    ...parsed.data,
    // Without a mail server nobody could receive the link, so the default follows SMTP_URL.
    REQUIRE_EMAIL_VERIFICATION:
      requireVerification === undefined || requireVerification === ""
        ? Boolean(parsed.data.SMTP_URL)
        : ["1", "true", "yes"].includes(requireVerification),
  };
}

export const env: Env = readEnv();
