import { startInvalidationBroadcast } from "../api-keys/invalidation-broadcast";
import type { KeySnapshot } from "../api-keys/verification-cache";
import { type VerifyFailureReason, type VerifyResult, verifyApiKey } from "../api-keys/verify-api-key";
import { ApiError, type ApiErrorCode, errorResponse } from "./errors";
import { consumeKeyRequest, rateLimitHeaders } from "../rate-limit/key-rate-limit";
import { recordUsage } from "../usage/usage-recorder";
import { clientIp } from "../request-context";
import { readPresentedKey } from "./read-presented-key";

const REFUSALS: Record<VerifyFailureReason, { code: ApiErrorCode; status: number; message: string }> = {
  missing: { code: "missing_key", status: 401, message: "Send your API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'." },
  malformed: { code: "malformed_key", status: 401, message: "The API key is not in a valid format." },
  unknown: { code: "unknown_key", status: 401, message: "The API key is not recognised." },
  revoked: { code: "revoked_key", status: 401, message: "The API key has been revoked." },
  expired: { code: "expired_key", status: 401, message: "The API key has expired." },
  owner_disabled: { code: "owner_disabled", status: 401, message: "The account that owns this API key is disabled." },
  insufficient_scope: { code: "insufficient_scope", status: 403, message: "The API key does not hold the scope this request needs." },
  ip_not_allowed: { code: "ip_not_allowed", status: 403, message: "The API key may not be used from this IP address." },
  unknown_keys_throttled: { code: "rate_limited", status: 429, message: "Too many unknown API keys from this address." },
};

const RFC6750_ERROR: Partial<Record<VerifyFailureReason, string>> = {
  malformed: "invalid_token",
  unknown: "invalid_token",
  revoked: "invalid_token",
  expired: "invalid_token",
  owner_disabled: "invalid_token",
  insufficient_scope: "insufficient_scope",
};

/** Turns a failed verification into the ApiError the caller sees. */
export function refusalFor(reason: VerifyFailureReason, missingScopes?: string[], retryAfterMs?: number): ApiError {
  const refusal = REFUSALS[reason];
  if (retryAfterMs !== undefined) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return new ApiError(refusal.code, refusal.status, `${refusal.message} Retry in ${seconds} s.`, { "Retry-After": String(seconds) });
  }
  const rfcError = RFC6750_ERROR[reason];
  const challenge = rfcError ? `Bearer realm="keyport", error="${rfcError}"` : `Bearer realm="keyport"`;
  const message = missingScopes?.length ? `${refusal.message} Missing: ${missingScopes.join(", ")}.` : refusal.message;
  return new ApiError(refusal.code, refusal.status, message, { "WWW-Authenticate": challenge });
}

export interface ApiKeyContext<Params> {
  key: KeySnapshot;
  params: Params;
}

type RouteContext<Params> = { params: Promise<Params> };

/**
 * The one guard every /api/v1 handler goes through: it reads the presented key,
 * verifies it with the same library the dashboard uses, and maps every failure to the
 * one error shape. It stays small on purpose; limits and usage are separate helpers.
 */
export function withApiKey<Params = Record<string, never>>(
  handler: (request: Request, context: ApiKeyContext<Params>) => Promise<Response>,
  options: { scopes?: readonly string[] } = {},
) {
  return async (request: Request, routeContext: RouteContext<Params>): Promise<Response> => {
    startInvalidationBroadcast();
    // The key whose usage this request counts towards, once it is known to exist.
    let usageKeyId: string | undefined;
    let response: Response;
    try {
      const presented = readPresentedKey(request.headers);
      const result: VerifyResult =
        presented === "ambiguous"
          ? { ok: false, reason: "malformed" }
          : await verifyApiKey(presented, { scopes: options.scopes, ip: clientIp(request.headers) });
      usageKeyId = "key" in result ? result.key?.id : undefined;
      if (!result.ok) throw refusalFor(result.reason, result.missingScopes, result.retryAfterMs);
      const limit = await consumeKeyRequest(result.key.id, result.key.rateLimitPerMinute);
      const limitHeaders = rateLimitHeaders(limit);
      if (!limit.allowed) {
        throw new ApiError("rate_limited", 429, `Rate limit of ${limit.limit} requests a minute reached. Retry in ${limit.resetSeconds} s.`, limitHeaders);
      }
      const params = (await routeContext?.params) ?? ({} as Params);
      response = await handler(request, { key: result.key, params });
      for (const [name, value] of Object.entries(limitHeaders)) response.headers.set(name, value);
    } catch (error) {
      response = errorResponse(error);
    }
    if (usageKeyId) recordUsage(usageKeyId, response.status);
    return response;
  };
}
