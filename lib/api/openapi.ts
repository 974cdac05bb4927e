import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { env } from "../env";
export { publicOrigin } from "../public-origin";
import { keyPattern } from "../api-keys/key-format";
import type { ApiErrorCode } from "../api-keys/refusals";
import { leakReportSchema } from "../leaks/report-leaked-tokens";
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

// The document is generated from the schemas the handlers parse with, and
// tests/integration/openapi-contract.test.ts lints it (Redocly's recommended ruleset) and
// validates every response of the API against it, so neither side can drift.

const TAGS = [
  { name: "Identity", description: "Who the calling key is." },
  { name: "Keys", description: "Create, list, change, roll and revoke your API keys (a team key: its team's keys, within its creator's current team role)." },
  { name: "Verification", description: "For your own backends: check a key a client presented." },
  { name: "Leaks", description: "GitHub secret scanning reports keys found in public code; each is revoked at once." },
  { name: "Meta", description: "This document." },
] as const;

const SAMPLE_KEY = {
  id: "cmx4dzh7q00014u7d2sxeqkfa",
  name: "billing worker",
  start: "kp_live_Ab3x",
  environment: "live",
  scopes: ["me:read", "keys:read"],
  status: "active",
  createdAt: "2026-12-01T09:30:00.000Z",
  expiresAt: "2027-12-01T00:00:00.000Z",
  lastUsedAt: "2026-12-04T08:12:45.000Z",
  revokedAt: null,
  graceEndsAt: null,
  rolledFromId: null,
  ipAllowlist: ["203.0.113.0/24"],
};
const SAMPLE_TEAM = { id: "cmx4e0a1b00024u7dk3m9pq2r", slug: "acme", name: "Acme" };
const SAMPLE_SECRET = "kp_live_Ab3xQ9mT2vWcL8rZp4yHs7nK1dFgJ0eB_1a2b3c";

/** One example error for each status, with the code the server sends for it. */
const ERRORS: Record<number, { description: string; code: ApiErrorCode; message: string }> = {
  400: { description: "Malformed request: a body that is not JSON, or an unknown cursor", code: "bad_request", message: "The body is not valid JSON." },
  401: { description: "Missing, malformed, unknown, revoked or expired key, or one whose owner is disabled or whose team is suspended", code: "unknown_key", message: "The API key is not recognised." },
  403: { description: "The key lacks a required scope, may not be used from this address, would grant more than it holds, or (code `forbidden`) its creator's current team role does not allow the change", code: "insufficient_scope", message: "The API key does not hold the scope this request needs. Missing: keys:write." },
  404: { description: "No such key (another owner's key answers the same)", code: "not_found", message: "No such key." },
  405: { description: "A method this path does not accept; `Allow` lists those it does", code: "method_not_allowed", message: "This route accepts GET only." },
  408: { description: "The request did not arrive in time", code: "request_timeout", message: "The request did not arrive in time." },
  409: { description: "Conflict: the key limit is reached, or the key is revoked or rolled", code: "conflict", message: "The key is not in a state that allows this." },
  413: { description: "Body too large", code: "payload_too_large", message: "The request body may be at most 16384 bytes." },
  415: { description: "The body is not sent as `Content-Type: application/json`", code: "unsupported_media_type", message: "Send the body as JSON, with 'Content-Type: application/json'." },
  422: { description: "Invalid body or query; `details` names each field", code: "validation_failed", message: "The request body or query is not valid." },
  429: { description: "Rate limit reached; retry after `Retry-After` seconds", code: "rate_limited", message: "Rate limit of 60 requests a minute reached. Retry in 42 s." },
  431: { description: "Request headers larger than 16 KB", code: "headers_too_large", message: "The request's headers are larger than 16 KB." },
  500: { description: "Unexpected error; nothing about it is revealed", code: "internal_error", message: "Something went wrong on our side." },
  503: { description: "The database did not answer in time; retry after `Retry-After` seconds", code: "unavailable", message: "The service is temporarily unavailable. Retry shortly." },
};

const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });
const RATE_LIMIT_HEADERS = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"] as const;

interface Operation {
  method: RouteConfig["method"];
  path: string;
  operationId: string;
  summary: string;
  description: string;
  tags: [(typeof TAGS)[number]["name"]];
  /** Behind the key guard: 401, 403, 429, 503 and RateLimit-* headers. */
  guarded: boolean;
  request?: RouteConfig["request"];
  success: { status: 200 | 201; description: string; schema: z.ZodType; example: unknown };
  /** Error statuses the handler itself answers, beyond the guard's and the server's. */
  errors: number[];
}

const keyIdParams = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path", description: "The key's id." }, example: SAMPLE_KEY.id }),
});
const jsonBody = (schema: z.ZodType, example: unknown, required = true) => ({
  required,
  content: { "application/json": { schema, example } },
});

/** Every /api/v1 route handler, as documented. A contract test checks each file has its entry here. */
export const OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/v1/me",
    operationId: "getMe",
    summary: "The calling key, its owner and its team",
    description: "Scope `me:read`. `team` is the team that owns the key, or null for a personal key; `createdBy` is who created it.",
    tags: ["Identity"],
    guarded: true,
    success: {
      status: 200,
      description: "The key, its owner and its team",
      schema: MeSchema,
      example: {
        owner: { id: "cmx4dz9p000004u7d1wq8s2ne", email: "ada@example.com", name: "Ada Lovelace" },
        key: { id: SAMPLE_KEY.id, name: SAMPLE_KEY.name, start: SAMPLE_KEY.start, environment: "live", scopes: ["me:read"], expiresAt: null, createdAt: SAMPLE_KEY.createdAt },
        team: SAMPLE_TEAM,
        createdBy: { id: "cmx4dz9p000004u7d1wq8s2ne", email: "ada@example.com" },
      },
    },
    errors: [],
  },
  {
    method: "get",
    path: "/api/v1/keys",
    operationId: "listKeys",
    summary: "List your keys",
    description:
      "Scope `keys:read`. Newest first; pass `nextCursor` back as `cursor`. A cursor that is not one of your keys is a 400. A team key lists its team's keys, while its creator is still a member of the team (otherwise 403 `forbidden`).",
    tags: ["Keys"],
    guarded: true,
    request: { query: ListKeysQuery },
    success: { status: 200, description: "A page of keys", schema: KeyListSchema, example: { items: [SAMPLE_KEY], nextCursor: SAMPLE_KEY.id } },
    errors: [400, 422],
  },
  {
    method: "post",
    path: "/api/v1/keys",
    operationId: "createKey",
    summary: "Create a key",
    description:
      "Scope `keys:write`. The new key cannot hold a scope the calling key lacks, expire later than it, or be usable from addresses it is not (403). A team key creates a key of its team, limited by its creator's current team role (a developer, admin or owner; 403 `forbidden` otherwise) and by the team's key cap (409). The secret appears in this response only.",
    tags: ["Keys"],
    guarded: true,
    request: { body: jsonBody(CreateKeyBody, { name: "billing worker", environment: "live", scopes: ["me:read", "keys:read"], expiresAt: "2027-12-01T00:00:00.000Z", ipAllowlist: ["203.0.113.0/24"] }) },
    success: { status: 201, description: "The key and its secret", schema: CreatedKeySchema, example: { key: SAMPLE_KEY, secret: SAMPLE_SECRET } },
    errors: [400, 409, 413, 415, 422],
  },
  {
    method: "get",
    path: "/api/v1/keys/{id}",
    operationId: "getKey",
    summary: "Read one of your keys",
    description: "Scope `keys:read`.",
    tags: ["Keys"],
    guarded: true,
    request: { params: keyIdParams },
    success: { status: 200, description: "The key", schema: KeySchema, example: SAMPLE_KEY },
    errors: [404],
  },
  {
    method: "patch",
    path: "/api/v1/keys/{id}",
    operationId: "updateKey",
    summary: "Rename a key, or change its scopes, expiry or IP allowlist",
    description:
      "Scope `keys:write`. Send at least one field. New scopes, expiry and allowlist must be within the calling key's own; a key may not loosen (later expiry, wider allowlist) a key holding scopes it lacks (403).",
    tags: ["Keys"],
    guarded: true,
    request: { params: keyIdParams, body: jsonBody(UpdateKeyBody, { name: "billing worker (eu)", scopes: ["me:read"] }) },
    success: { status: 200, description: "The updated key", schema: KeySchema, example: { ...SAMPLE_KEY, name: "billing worker (eu)", scopes: ["me:read"] } },
    errors: [400, 404, 409, 413, 415, 422],
  },
  {
    method: "delete",
    path: "/api/v1/keys/{id}",
    operationId: "revokeKey",
    summary: "Revoke a key",
    description: "Scope `keys:write`. Refused from the next request, on every instance.",
    tags: ["Keys"],
    guarded: true,
    request: { params: keyIdParams },
    success: { status: 200, description: "The revoked key", schema: KeySchema, example: { ...SAMPLE_KEY, status: "revoked", revokedAt: "2026-12-04T10:00:00.000Z" } },
    errors: [404, 409],
  },
  {
    method: "post",
    path: "/api/v1/keys/{id}/roll",
    operationId: "rollKey",
    summary: "Roll a key",
    description:
      "Scope `keys:write`. A new key with every restriction of the old one: scopes, IP allowlist, rate limit, environment, and its expiry unless `expiresAt` is given. The calling key must hold every scope of the key it rolls, and the new key may not outlive the calling key or escape its allowlist (403). The new key is named `<name> (rolled YYYY-MM-DD)`. The old key keeps working for `graceSeconds`. The body is optional: every field has a default.",
    tags: ["Keys"],
    guarded: true,
    request: { params: keyIdParams, body: jsonBody(RollKeyBody, { graceSeconds: 3600, startGraceOnFirstUse: false }, false) },
    success: {
      status: 201,
      description: "The new key and its secret",
      schema: RolledKeySchema,
      example: { key: { ...SAMPLE_KEY, id: "cmx4e1c2d00034u7d9hq1zv0a", start: "kp_live_Zt7q", rolledFromId: SAMPLE_KEY.id }, secret: "kp_live_Zt7qR2nD8xVb4mKp6wYc1sLh3gFj9aEu_7f8e9d", oldKeyGraceEndsAt: "2026-12-04T11:00:00.000Z" },
    },
    errors: [400, 404, 409, 413, 415, 422],
  },
  {
    method: "get",
    path: "/api/v1/keys/{id}/usage",
    operationId: "getKeyUsage",
    summary: "A key's requests per day",
    description: "Scope `keys:read`. The last 30 days (UTC), by outcome; counts are written in batches, a few seconds behind.",
    tags: ["Keys"],
    guarded: true,
    request: { params: keyIdParams },
    success: {
      status: 200,
      description: "Daily counts, oldest first",
      schema: UsageSchema,
      example: { keyId: SAMPLE_KEY.id, days: [{ day: "2026-12-03", success: 1204, clientError: 3, rateLimited: 0 }, { day: "2026-12-04", success: 310, clientError: 0, rateLimited: 2 }] },
    },
    errors: [404],
  },
  {
    method: "post",
    path: "/api/v1/leaks",
    operationId: "reportLeakedKeys",
    summary: "Report leaked keys (GitHub secret scanning)",
    description:
      "GitHub's secret-scanning partner payload, signed with ECDSA P-256: `Github-Public-Key-Identifier` and `Github-Public-Key-Signature` headers, checked against `LEAKS_PUBLIC_KEYS`. Each matching key is revoked at once. Answers 404 when no public key is configured.",
    tags: ["Leaks"],
    guarded: false,
    request: {
      headers: z.object({
        "Github-Public-Key-Identifier": z.string().openapi({ description: "Which of GitHub's public keys signed the body." }),
        "Github-Public-Key-Signature": z.string().openapi({ description: "Base64 ECDSA P-256 signature of the raw body." }),
      }),
      body: jsonBody(leakReportSchema, [{ token: SAMPLE_SECRET, type: "keyport_api_key", url: "https://github.com/octo/app/blob/main/.env", source: "content" }]),
    },
    success: {
      status: 200,
      description: "One verdict per reported token",
      schema: z
        .array(z.object({ token_hash: z.string(), token_type: z.string(), label: z.enum(["true_positive", "false_positive"]) }))
        .openapi("LeakVerdicts"),
      example: [{ token_hash: "9f2c5b8e0d1a4f6b3c7e2d9a8b1f0e4c6d3a2b5f8e7c1d0a9b4e6f2c3d5a7b8e", token_type: "keyport_api_key", label: "true_positive" }],
    },
    errors: [400, 401, 404, 413, 422, 503],
  },
  {
    method: "post",
    path: "/api/v1/verify",
    operationId: "verifyKey",
    summary: "Verify another key (for your backends)",
    description:
      "Scope `verify`, held only while the key's owner is an admin. Always 200: the verdict is `code`. `team` is the team that owns the verified key (null for a personal key): authorize by it as the tenant; a suspended team's key is `DISABLED`. Pass the end client's address as `ip`: a key with an IP allowlist is `IP_NOT_ALLOWED` from elsewhere or without one. Counts against the verified key's rate limit.",
    tags: ["Verification"],
    guarded: true,
    request: { body: jsonBody(VerifyBody, { key: SAMPLE_SECRET, scopes: ["keys:read"], ip: "203.0.113.7" }) },
    success: {
      status: 200,
      description: "The verdict",
      schema: VerifyResultSchema,
      example: { valid: true, code: "VALID", keyId: SAMPLE_KEY.id, owner: { id: "cmx4dz9p000004u7d1wq8s2ne", email: "ada@example.com" }, team: SAMPLE_TEAM, scopes: ["me:read", "keys:read"], environment: "live", expiresAt: "2027-12-01T00:00:00.000Z", ratelimit: { limit: 60, remaining: 59, reset: 60 } },
    },
    errors: [400, 413, 415, 422],
  },
  {
    method: "get",
    path: "/api/v1/openapi.json",
    operationId: "getOpenApiDocument",
    summary: "This OpenAPI document",
    description: "The OpenAPI 3.1 document of /api/v1. Public: no key needed.",
    tags: ["Meta"],
    guarded: false,
    success: { status: 200, description: "The document", schema: z.object({ openapi: z.string() }).catchall(z.unknown()), example: { openapi: "3.1.0" } },
    errors: [],
  },
];

/** The error statuses an operation can answer: its own, the key guard's, and the server's. */
export function errorStatuses(operation: Operation): number[] {
  const guard = operation.guarded ? [401, 403, 429, 503] : [];
  return [...new Set([...operation.errors, ...guard, 405, 408, 431, 500])].sort((a, b) => a - b);
}

/** components/responses: one error response per status, shared by every operation. */
const ERROR_RESPONSE_NAMES: Record<number, string> = {
  400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed", 408: "RequestTimeout",
  409: "Conflict", 413: "PayloadTooLarge", 415: "UnsupportedMediaType", 422: "ValidationFailed", 429: "TooManyRequests",
  431: "HeadersTooLarge", 500: "InternalError", 503: "Unavailable",
};

function errorResponse(status: number): ResponseConfig {
  const { description, code, message } = ERRORS[status];
  const headers: Record<string, unknown> = { "Cache-Control": ref("Cache-Control") };
  // Present once a key is verified and counted: errors its handler answers, and 429 from its limit.
  if (![401, 405, 408, 431].includes(status)) for (const name of RATE_LIMIT_HEADERS) headers[name] = ref(`${name}-Optional`);
  if (status === 401) headers["WWW-Authenticate"] = ref("WWW-Authenticate");
  if (status === 429 || status === 503) headers["Retry-After"] = ref("Retry-After");
  if (status === 405) headers.Allow = ref("Allow");
  const example =
    status === 422 ? { error: { code, message, details: [{ path: "name", message: "Give the key a name." }] } } : { error: { code, message } };
  return { description, headers: headers as ResponseConfig["headers"], content: { "application/json": { schema: { $ref: "#/components/schemas/Error" }, example } } };
}

/** The OpenAPI 3.1 document of /api/v1, generated from the schemas the handlers parse with. */
export function openApiDocument(serverUrl?: string) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: `An API key, as \`Authorization: Bearer <key>\`. Format: \`${keyPattern(env.KEY_PREFIX).source}\`.`,
  });
  const apiKeyHeader = registry.registerComponent("securitySchemes", "apiKeyHeader", {
    type: "apiKey",
    in: "header",
    name: "X-API-Key",
    description: "The same API key, as `X-API-Key: <key>`. Send one of the two headers, not both.",
  });
  const header = (name: string, description: string, required: boolean, schema: Record<string, unknown> = { type: "string" }) =>
    registry.registerComponent("headers", name, { description, required, schema } as never);
  const rateLimit = {
    "RateLimit-Limit": ["Requests a minute this key may make.", { type: "string", pattern: "^[0-9]+$", example: "60" }],
    "RateLimit-Remaining": ["Requests left in the current window.", { type: "string", pattern: "^[0-9]+$", example: "59" }],
    "RateLimit-Reset": ["Seconds until the window resets.", { type: "string", pattern: "^[0-9]+$", example: "60" }],
  } as const;
  for (const [name, [description, schema]] of Object.entries(rateLimit)) {
    header(name, description, true, schema);
    header(`${name}-Optional`, `${description} Absent when the key was refused before it was counted.`, false, schema);
  }
  header("Retry-After", "Seconds to wait before retrying.", true, { type: "string", pattern: "^[0-9]+$", example: "5" });
  header("WWW-Authenticate", "The RFC 6750 challenge, for example `Bearer realm=\"keyport\", error=\"invalid_token\"`.", true, {
    type: "string",
    example: 'Bearer realm="keyport", error="invalid_token"',
  });
  header("Allow", "The methods this path accepts.", true, { type: "string", example: "GET, HEAD, OPTIONS" });
  header("Cache-Control", "Nothing is cached: always `no-store`.", true, { type: "string", const: "no-store" });

  registry.register("Error", ErrorSchema);
  for (const [status, name] of Object.entries(ERROR_RESPONSE_NAMES)) registry.registerComponent("responses", name, errorResponse(Number(status)) as never);
  for (const operation of OPERATIONS) {
    const successHeaders: Record<string, unknown> = { "Cache-Control": ref("Cache-Control") };
    if (operation.guarded) for (const name of RATE_LIMIT_HEADERS) successHeaders[name] = ref(name);
    registry.registerPath({
      method: operation.method,
      path: operation.path,
      operationId: operation.operationId,
      summary: operation.summary,
      description: operation.description,
      tags: operation.tags,
      security: operation.guarded ? [{ [bearer.name]: [] }, { [apiKeyHeader.name]: [] }] : [],
      request: operation.request,
      responses: {
        [operation.success.status]: {
          description: operation.success.description,
          headers: successHeaders as ResponseConfig["headers"],
          content: { "application/json": { schema: operation.success.schema, example: operation.success.example } },
        },
        ...Object.fromEntries(errorStatuses(operation).map((status) => [status, { $ref: `#/components/responses/${ERROR_RESPONSE_NAMES[status]}` }])),
      },
    });
  }
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Keyport API",
      version: "1.0.0",
      description:
        "Authenticate with an API key, as `Authorization: Bearer <key>` or `X-API-Key: <key>`. Request bodies are JSON (`Content-Type: application/json`). Every error is `{ \"error\": { \"code\", \"message\" } }`; every response is `Cache-Control: no-store`; authenticated responses carry `RateLimit-*` headers.",
      // The portal is self-hosted and unlicensed for redistribution; the API is its operator's.
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    tags: TAGS.map((tag) => ({ ...tag })),
    servers: serverUrl ? [{ url: serverUrl, description: "This portal" }] : [],
  });
  return document;
}
