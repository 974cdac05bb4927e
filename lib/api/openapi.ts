import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { env } from "../env";
import { keyPattern } from "../api-keys/key-format";
import {
  CreatedKeySchema,
  CreateKeyBody,
  ErrorSchema,
  KeyListSchema,
  KeySchema,
  ListKeysQuery,
  MeSchema,
  RolledKeySchema,
  RollKeyBody,
  UpdateKeyBody,
  UsageSchema,
  VerifyBody,
  VerifyResultSchema,
  z,
} from "./schemas";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      json(ErrorSchema, { 400: "Malformed request", 401: "Missing, malformed, unknown, revoked or expired key", 403: "The key lacks a required scope", 404: "No such key (or not yours)", 409: "Conflict (key limit reached, already revoked or rolled)", 413: "Body too large", 422: "Invalid body or query", 429: "Rate limit reached; see Retry-After", 503: "The database did not answer in time" }[status] ?? "Error"),
    ]),
  );
const rateLimitHeaders = z.object({
  "RateLimit-Limit": z.string().openapi({ description: "Requests a minute this key may make" }),
  "RateLimit-Remaining": z.string(),
  "RateLimit-Reset": z.string().openapi({ description: "Seconds until the window resets" }),
});
const keyIdParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" }, example: "cmx4dzh7q00014u7d2sxeqkfa" }) });

type Operation = Omit<RouteConfig, "security"> & { public?: true };

const LeakReportSchema = z
  .array(z.object({ token: z.string(), type: z.string(), url: z.string(), source: z.string() }))
  .openapi("LeakReport");
const LeakVerdictSchema = z
  .array(z.object({ token_hash: z.string(), token_type: z.string(), label: z.enum(["true_positive", "false_positive"]) }))
  .openapi("LeakVerdicts");

/** Every /api/v1 route handler, as documented. A contract test checks each file has its entry here. */
export const OPERATIONS: Operation[] = [
  { method: "get", path: "/api/v1/me", summary: "The calling key and its owner", description: "Scope `me:read`.", tags: ["Identity"], responses: { 200: { ...json(MeSchema, "The key and its owner"), headers: rateLimitHeaders }, ...errors(401, 403, 429, 503) } },
  { method: "get", path: "/api/v1/keys", summary: "List your keys", description: "Scope `keys:read`. Newest first; pass `nextCursor` back as `cursor`.", tags: ["Keys"], request: { query: ListKeysQuery }, responses: { 200: json(KeyListSchema, "A page of keys"), ...errors(400, 401, 403, 422, 429) } },
  { method: "post", path: "/api/v1/keys", summary: "Create a key", description: "Scope `keys:write`. The new key cannot hold a scope the calling key lacks, expire later than it, or be usable from addresses it is not (403). The secret appears in this response only.", tags: ["Keys"], request: { body: { content: { "application/json": { schema: CreateKeyBody } } } }, responses: { 201: json(CreatedKeySchema, "The key and its secret"), ...errors(400, 401, 403, 409, 413, 422, 429) } },
  { method: "get", path: "/api/v1/keys/{id}", summary: "Read one of your keys", description: "Scope `keys:read`.", tags: ["Keys"], request: { params: keyIdParams }, responses: { 200: json(KeySchema, "The key"), ...errors(401, 403, 404, 429) } },
  { method: "patch", path: "/api/v1/keys/{id}", summary: "Rename a key, or change its scopes, expiry or IP allowlist", description: "Scope `keys:write`. New scopes, expiry and allowlist must be within the calling key's own; a key may not loosen (later expiry, wider allowlist) a key holding scopes it lacks (403).", tags: ["Keys"], request: { params: keyIdParams, body: { content: { "application/json": { schema: UpdateKeyBody } } } }, responses: { 200: json(KeySchema, "The updated key"), ...errors(400, 401, 403, 404, 409, 413, 422, 429) } },
  { method: "delete", path: "/api/v1/keys/{id}", summary: "Revoke a key", description: "Scope `keys:write`. Refused from the next request, on every instance.", tags: ["Keys"], request: { params: keyIdParams }, responses: { 200: json(KeySchema, "The revoked key"), ...errors(401, 403, 404, 409, 429) } },
  { method: "post", path: "/api/v1/keys/{id}/roll", summary: "Roll a key", description: "Scope `keys:write`. A new key with every restriction of the old one: scopes, IP allowlist, rate limit, environment, and its expiry unless `expiresAt` is given. The calling key must hold every scope of the key it rolls, and the new key may not outlive the calling key or escape its allowlist (403). The old key keeps working for `graceSeconds`.", tags: ["Keys"], request: { params: keyIdParams, body: { content: { "application/json": { schema: RollKeyBody } } } }, responses: { 201: json(RolledKeySchema, "The new key and its secret"), ...errors(400, 401, 403, 404, 409, 413, 422, 429) } },
  { method: "get", path: "/api/v1/keys/{id}/usage", summary: "A key's requests per day", description: "Scope `keys:read`. The last 30 days (UTC), by outcome; counts are written in batches, a few seconds behind.", tags: ["Keys"], request: { params: keyIdParams }, responses: { 200: json(UsageSchema, "Daily counts, oldest first"), ...errors(401, 403, 404, 429) } },
  {
    method: "post",
    path: "/api/v1/leaks",
    summary: "Report leaked keys (GitHub secret scanning)",
    description:
      "GitHub's secret-scanning partner payload, signed with ECDSA P-256: `Github-Public-Key-Identifier` and `Github-Public-Key-Signature` headers, checked against `LEAKS_PUBLIC_KEYS`. Each matching key is revoked at once. Answers 404 when no public key is configured.",
    tags: ["Verification"],
    public: true,
    request: { body: { content: { "application/json": { schema: LeakReportSchema } } } },
    responses: { 200: json(LeakVerdictSchema, "One verdict per reported token"), ...errors(400, 401, 404, 413, 422) },
  },
  { method: "post", path: "/api/v1/verify", summary: "Verify another key (for your backends)", description: "Scope `verify`, held only while the key's owner is an admin. Always 200: the verdict is `code`. Pass the end client's address as `ip`: a key with an IP allowlist is `IP_NOT_ALLOWED` from elsewhere or without one. Counts against the verified key's rate limit.", tags: ["Verification"], request: { body: { content: { "application/json": { schema: VerifyBody } } } }, responses: { 200: json(VerifyResultSchema, "The verdict"), ...errors(400, 401, 403, 413, 422, 429) } },
];

/** The OpenAPI 3.1 document of /api/v1, generated from the schemas the handlers parse with. */
export function openApiDocument(serverUrl?: string) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: `An API key, as \`Authorization: Bearer <key>\` (or \`X-API-Key: <key>\`). Format: \`${keyPattern(env.KEY_PREFIX).source}\`.`,
  });
  for (const { public: isPublic, ...operation } of OPERATIONS) {
    registry.registerPath({ ...operation, security: isPublic ? [] : [{ [bearer.name]: [] }] });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Keyport API",
      version: "1.0.0",
      description:
        "Authenticate with an API key. Every error is `{ \"error\": { \"code\", \"message\" } }`; every response is `Cache-Control: no-store`; authenticated responses carry `RateLimit-*` headers.",
    },
    servers: serverUrl ? [{ url: serverUrl }] : [],
  });
}
