import createClient, { type Client } from "openapi-fetch";
import { KeyportApiError } from "./errors.js";
import type { operations, paths } from "./generated/openapi.js";
import { createTransport, type RetryOptions } from "./transport.js";
import type {
  CreatedKey,
  CreateKeyRequest,
  Key,
  KeyList,
  LeakReport,
  LeakVerdicts,
  ListKeysQuery,
  Me,
  OpenApiDocument,
  RolledKey,
  RollKeyRequest,
  UpdateKeyRequest,
  Usage,
  VerifyResult,
} from "./types.js";
import { VerifyCache, type VerifyCacheOptions } from "./verify-cache.js";

export interface KeyportOptions extends RetryOptions {
  /** Where Keyport is served, for example https://keys.example.com. */
  baseUrl: string;
  /** The key this client calls with (for verifyKey: a key with the `verify` scope). */
  apiKey: string;
  /** Reuse VALID verdicts of verifyKey for a short while (off by default): see VerifyCacheOptions.ttlMs. */
  cache?: VerifyCacheOptions;
}

export interface VerifyKeyInput {
  /** The key your caller presented. */
  key: string;
  /** Scopes the key must hold (all of them). */
  scopes?: string[];
  /** Your caller's IP address; a key with an IP allowlist is IP_NOT_ALLOWED without it. */
  ip?: string;
}

/** One method per operationId of the served document: the compiler fails when one is missing. */
type EveryOperation = { [Id in keyof operations]: (...args: never[]) => Promise<unknown> };

/** An openapi-fetch answer: the data, or a typed KeyportApiError thrown. */
function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok || result.data === undefined) throw KeyportApiError.from(result.response, result.error);
  return result.data;
}

/**
 * The Keyport /api/v1 client. Every method throws KeyportApiError (with the API's `code`),
 * KeyportNetworkError or KeyportTimeoutError; `api` is the underlying openapi-fetch client,
 * typed by path, for anything the methods do not cover.
 */
export class Keyport implements EveryOperation {
  readonly api: Client<paths>;
  readonly cache: VerifyCache | null;

  constructor(options: KeyportOptions) {
    if (!options.apiKey) throw new TypeError("Keyport needs an apiKey.");
    this.api = createClient<paths>({
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
      fetch: createTransport(options),
      headers: { Authorization: `Bearer ${options.apiKey}` },
    });
    this.cache = options.cache ? new VerifyCache(options.cache) : null;
  }

  /** GET /api/v1/me: the calling key and its owner. */
  async getMe(): Promise<Me> {
    return unwrap(await this.api.GET("/api/v1/me"));
  }

  /** GET /api/v1/keys: a page of your keys, newest first; pass `nextCursor` back as `cursor`. */
  async listKeys(query: Partial<ListKeysQuery> = {}): Promise<KeyList> {
    return unwrap(await this.api.GET("/api/v1/keys", { params: { query: query as ListKeysQuery } }));
  }

  /** POST /api/v1/keys: a new key; its `secret` is in this answer only. */
  async createKey(body: CreateKeyRequest): Promise<CreatedKey> {
    return unwrap(await this.api.POST("/api/v1/keys", { body }));
  }

  /** GET /api/v1/keys/{id}. */
  async getKey(id: string): Promise<Key> {
    return unwrap(await this.api.GET("/api/v1/keys/{id}", { params: { path: { id } } }));
  }

  /** PATCH /api/v1/keys/{id}: rename, or change scopes, expiry or IP allowlist. */
  async updateKey(id: string, body: UpdateKeyRequest): Promise<Key> {
    return unwrap(await this.api.PATCH("/api/v1/keys/{id}", { params: { path: { id } }, body }));
  }

  /** DELETE /api/v1/keys/{id}: revoke; refused from the next request. */
  async revokeKey(id: string): Promise<Key> {
    return unwrap(await this.api.DELETE("/api/v1/keys/{id}", { params: { path: { id } } }));
  }

  /** POST /api/v1/keys/{id}/roll: a replacement key; the old one works for `graceSeconds`. */
  async rollKey(id: string, body: Partial<RollKeyRequest> = {}): Promise<RolledKey> {
    return unwrap(await this.api.POST("/api/v1/keys/{id}/roll", { params: { path: { id } }, body: body as RollKeyRequest }));
  }

  /** GET /api/v1/keys/{id}/usage: requests per day for the last 30 days. */
  async getKeyUsage(id: string): Promise<Usage> {
    return unwrap(await this.api.GET("/api/v1/keys/{id}/usage", { params: { path: { id } } }));
  }

  /**
   * POST /api/v1/leaks: GitHub's secret-scanning report, signed over its exact bytes: pass the
   * raw body you received (a string is sent unchanged; an object is sent as JSON.stringify of it).
   */
  async reportLeakedKeys(report: LeakReport | string, signature: { identifier: string; signature: string }): Promise<LeakVerdicts> {
    return unwrap(
      await this.api.POST("/api/v1/leaks", {
        body: report as LeakReport,
        bodySerializer: (body: unknown) => (typeof body === "string" ? body : JSON.stringify(body)),
        params: { header: { "Github-Public-Key-Identifier": signature.identifier, "Github-Public-Key-Signature": signature.signature } },
      }),
    );
  }

  /** GET /api/v1/openapi.json. */
  async getOpenApiDocument(): Promise<OpenApiDocument> {
    return unwrap(await this.api.GET("/api/v1/openapi.json"));
  }

  /**
   * POST /api/v1/verify: is the key your caller presented valid, with these scopes, from this
   * IP? The verdict is `code` (VALID, NOT_FOUND, REVOKED, …); only a failure to get one throws.
   * With `cache`, a VALID verdict is reused for `cache.ttlMs`.
   */
  async verifyKey({ key, scopes = [], ip }: VerifyKeyInput): Promise<VerifyResult> {
    const cacheKey = this.cache ? await VerifyCache.keyFor(key, scopes, ip) : null;
    const cached = cacheKey ? this.cache!.get(cacheKey) : undefined;
    if (cached) return cached;
    const askedAt = this.cache?.clock();
    const result = unwrap(await this.api.POST("/api/v1/verify", { body: { key, scopes, ...(ip ? { ip } : {}) } }));
    if (cacheKey) this.cache!.set(cacheKey, result, askedAt);
    return result;
  }
}
