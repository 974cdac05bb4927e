import { startInvalidationBroadcast } from "../api-keys/invalidation-broadcast";
import { bearerChallenge, KEY_REFUSALS } from "../api-keys/refusals";
import type { KeySnapshot } from "../api-keys/verification-cache";
import { type VerifyFailureReason, type VerifyResult, verifyApiKey } from "../api-keys/verify-api-key";
import { ApiError, errorResponse } from "./errors";
import { consumeKeyRequest, type RateLimitedCall, type RateLimitOutcome, rateLimitHeaders } from "../rate-limit/key-rate-limit";
import { recordUsage } from "../usage/usage-recorder";
import { clientIp } from "../request-context";
import { readPresentedKey } from "./read-presented-key";

/** Turns a failed verification into the ApiError the caller sees, from the one refusal table. */
export function refusalFor(reason: VerifyFailureReason, missingScopes?: string[], retryAfterMs?: number): ApiError {
  const refusal = KEY_REFUSALS[reason];
  if (retryAfterMs !== undefined) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return new ApiError(refusal.code, refusal.status, `${refusal.message} Retry in ${seconds} s.`, { "Retry-After": String(seconds) });
  }
  const message = missingScopes?.length ? `${refusal.message} Missing: ${missingScopes.join(", ")}.` : refusal.message;
  return new ApiError(refusal.code, refusal.status, message, { "WWW-Authenticate": bearerChallenge(refusal) });
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
 * Every response of an authenticated key carries its RateLimit-* headers, errors included.
 */
export function withApiKey<Params = Record<string, never>>(
  handler: (request: Request, context: ApiKeyContext<Params>) => Promise<Response>,
  options: { scopes?: readonly string[]; rateLimitedAs?: RateLimitedCall } = {},
) {
  return async (request: Request, routeContext: RouteContext<Params>): Promise<Response> => {
    startInvalidationBroadcast();
    // The key whose usage this request counts towards, once it is known to exist.
    let usageKeyId: string | undefined;
    let limit: RateLimitOutcome | undefined;
    let response: Response;
    try {
      const presented = readPresentedKey(request.headers);
      const ip = clientIp(request.headers);
      const result: VerifyResult =
        presented === "ambiguous"
          ? { ok: false, reason: "malformed" }
          : await verifyApiKey(presented, { scopes: options.scopes, ip, throttleIp: ip });
      usageKeyId = "key" in result ? result.key?.id : undefined;
      if (!result.ok) throw refusalFor(result.reason, result.missingScopes, result.retryAfterMs);
      limit = await consumeKeyRequest(result.key, options.rateLimitedAs);
      if (!limit.allowed) {
        throw new ApiError("rate_limited", 429, `Rate limit of ${limit.limit} requests a minute reached. Retry in ${limit.resetSeconds} s.`);
      }
      const params = (await routeContext?.params) ?? ({} as Params);
      response = await handler(request, { key: result.key, params });
    } catch (error) {
      response = errorResponse(error);
    }
    if (limit) for (const [name, value] of Object.entries(rateLimitHeaders(limit))) response.headers.set(name, value);
    if (usageKeyId) recordUsage(usageKeyId, response.status);
    return response;
  };
}
