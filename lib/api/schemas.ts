import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { isIP } from "node:net";
import { z } from "zod";
import { KEY_ENVIRONMENTS } from "../api-keys/key-format";
import { parseAllowlist } from "../api-keys/ip-allowlist";
import { SCOPE_NAMES } from "../api-keys/scopes";
import { API_ERROR_CODES, VERIFY_CODES } from "../api-keys/refusals";
import { keyNameSchema } from "../validations/api-keys";

// The /api/v1 request and response schemas. Handlers parse with them and
// lib/api/openapi.ts documents them, so the reference cannot drift from the code.
extendZodWithOpenApi(z);

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(API_ERROR_CODES).openapi({ example: "revoked_key" }),
      message: z.string().openapi({ example: "The API key has been revoked." }),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

const scopeSchema = z.enum(SCOPE_NAMES as [string, ...string[]]).openapi({ example: "me:read" });
const isoDate = z.iso.datetime({ offset: true }).openapi({ example: "2027-01-31T23:59:59.000Z" });

export const KeySchema = z
  .object({
    id: z.string().openapi({ example: "cmx4dzh7q00014u7d2sxeqkfa" }),
    name: z.string().openapi({ example: "billing worker" }),
    start: z.string().openapi({ example: "kp_live_Ab3x", description: "Prefix, environment and the first 4 random characters." }),
    environment: z.enum(KEY_ENVIRONMENTS),
    scopes: z.array(scopeSchema),
    status: z.enum(["active", "expiring_soon", "in_grace", "expired", "revoked"]),
    createdAt: isoDate,
    expiresAt: isoDate.nullable(),
    lastUsedAt: isoDate.nullable(),
    revokedAt: isoDate.nullable(),
    graceEndsAt: isoDate.nullable().openapi({ description: "For a rolled key: it keeps working until then." }),
    rolledFromId: z.string().nullable(),
    ipAllowlist: z.array(z.string()).openapi({ description: "CIDR blocks the key may be used from; empty: anywhere.", example: ["203.0.113.0/24"] }),
  })
  .openapi("Key");

/** The team that owns a key: authorize by its id (the tenant). */
export const KeyTeamSchema = z
  .object({
    id: z.string().openapi({ example: "cmx4e0a1b00024u7dk3m9pq2r" }),
    slug: z.string().openapi({ example: "acme" }),
    name: z.string().openapi({ example: "Acme" }),
  })
  .openapi("KeyTeam", { description: "The team that owns the key; null for a personal key." });

export const MeSchema = z
  .object({
    owner: z
      .object({ id: z.string(), email: z.string(), name: z.string().nullable() })
      .openapi({ description: "The user the key is recorded under: its holder for a personal key, its creator for a team key (which does not depend on them)." }),
    key: z.object({
      id: z.string(),
      name: z.string(),
      start: z.string(),
      environment: z.enum(KEY_ENVIRONMENTS),
      scopes: z.array(scopeSchema),
      expiresAt: isoDate.nullable(),
      createdAt: isoDate,
    }),
    team: KeyTeamSchema.nullable(),
    createdBy: z
      .object({ id: z.string(), email: z.string() })
      .openapi({ description: "Who created the key (for a team key, kept for the record only: the key keeps working when they leave)." }),
  })
  .openapi("Me");

export const KeyListSchema = z.object({ items: z.array(KeySchema), nextCursor: z.string().nullable() }).openapi("KeyList");

export const ListKeysQuery = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const futureDate = isoDate
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() > Date.now(), "expiresAt must be in the future.");

const ipAllowlistField = z
  .array(z.string().max(64))
  .max(50)
  .transform((entries, ctx) => {
    const parsed = parseAllowlist(entries.join(" "));
    if (parsed.ok) return parsed.cidrs;
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  });

/**
 * The name as documented: the server trims it, then wants 1 to 64 printable characters, so a
 * blank name ("   ") is refused; the pattern says so (minLength alone would admit it). `.meta`,
 * not `.openapi`: keyNameSchema is built before zod is extended.
 */
const documentedKeyName = keyNameSchema.meta({
  pattern: "^[^\\x00-\\x1f\\x7f]*[^\\s\\x00-\\x1f\\x7f][^\\x00-\\x1f\\x7f]*$",
  description: "Trimmed, then 1 to 64 printable characters: at least one that is not blank.",
  example: "billing worker",
});

export const CreateKeyBody = z
  .object({
    name: documentedKeyName,
    environment: z.enum(KEY_ENVIRONMENTS).default("test"),
    scopes: z.array(scopeSchema).min(1).default(["me:read"]),
    expiresAt: futureDate.nullable().optional().openapi({
      description: "When the key stops working (within five years); null or omitted: never. A key created by a key with an expiry may not outlive it.",
    }),
    ipAllowlist: ipAllowlistField.optional().openapi({
      description: "CIDR blocks the new key may be used from. Omitted: the calling key's own allowlist (a key can never create a less restricted one).",
    }),
  })
  .strict()
  .openapi("CreateKeyRequest");

export const CreatedKeySchema = z
  .object({ key: KeySchema, secret: z.string().openapi({ description: "The plaintext key. Shown in this response only." }) })
  .openapi("CreatedKey");

export const UpdateKeyBody = z
  .object({
    name: documentedKeyName.optional(),
    scopes: z.array(scopeSchema).min(1).optional(),
    expiresAt: futureDate.nullable().optional(),
    ipAllowlist: ipAllowlistField.optional().openapi({ description: "CIDR blocks (IPv4 or IPv6); [] allows any address." }),
  })
  .strict()
  .refine(
    (body) => body.name !== undefined || body.scopes !== undefined || body.expiresAt !== undefined || body.ipAllowlist !== undefined,
    "Send at least one of name, scopes, expiresAt, ipAllowlist.",
  )
  .openapi("UpdateKeyRequest");

export const RollKeyBody = z
  .object({
    graceSeconds: z.number().int().min(0).max(30 * 86_400).default(86_400).openapi({ description: "How long the old key keeps working." }),
    startGraceOnFirstUse: z
      .boolean()
      .default(false)
      .openapi({ description: "Start the grace only when the new key is first used, so the old key is never cut off before its replacement is live." }),
    expiresAt: futureDate.nullable().optional().openapi({
      description: "A new expiry for the replacement (null: never, if the caller may grant that). Omitted: the old key's expiry. Every other restriction (scopes, IP allowlist, rate limit, environment) is carried over.",
    }),
  })
  .strict()
  .openapi("RollKeyRequest");

export const RolledKeySchema = z
  .object({ key: KeySchema, secret: z.string(), oldKeyGraceEndsAt: isoDate.nullable().openapi({ description: "null until the new key is first used, for a usage-aware roll." }) })
  .openapi("RolledKey");

export const UsageSchema = z
  .object({
    keyId: z.string(),
    days: z.array(
      z.object({
        day: z.string().openapi({ example: "2026-12-01" }),
        success: z.number().int().openapi({ description: "2xx responses" }),
        clientError: z.number().int().openapi({ description: "4xx responses other than 429" }),
        rateLimited: z.number().int().openapi({ description: "429 responses" }),
      }),
    ),
  })
  .openapi("Usage");

export const VerifyBody = z
  .object({
    key: z.string().max(200),
    scopes: z.array(z.string().max(64)).max(20).default([]),
    ip: z
      .string()
      .max(64)
      .refine((ip) => isIP(ip) !== 0, "ip must be an IPv4 or IPv6 address.")
      .optional()
      .openapi({
        description:
          "The end client's IP address, checked against the key's allowlist. A key with an allowlist verified without it answers IP_NOT_ALLOWED.",
        example: "203.0.113.7",
      }),
  })
  .strict()
  .openapi("VerifyRequest");

export const VerifyResultSchema = z
  .object({
    valid: z.boolean(),
    code: z.enum(VERIFY_CODES),
    keyId: z.string().nullable(),
    owner: z.object({ id: z.string(), email: z.string() }).nullable(),
    team: KeyTeamSchema.nullable(),
    scopes: z.array(z.string()),
    environment: z.enum(KEY_ENVIRONMENTS).nullable(),
    expiresAt: isoDate.nullable(),
    ratelimit: z.object({ limit: z.number(), remaining: z.number(), reset: z.number() }).nullable(),
  })
  .openapi("VerifyResult");

export { z };
