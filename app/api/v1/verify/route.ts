// POST /api/v1/verify – for an organisation's other backends: is this key valid? (scope verify)
// Always 200 for a well-formed request: the verdict is in the body's `code`.
import { verifyApiKey, type VerifyFailureReason } from "@/lib/api-keys/verify-api-key";
import { jsonResponse } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/read-json-body";
import { VerifyBody, type VERIFY_CODES } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";
import { consumeKeyRequest } from "@/lib/rate-limit/key-rate-limit";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";

const CODES: Record<VerifyFailureReason, (typeof VERIFY_CODES)[number]> = {
  missing: "NOT_FOUND",
  malformed: "NOT_FOUND",
  unknown: "NOT_FOUND",
  revoked: "REVOKED",
  expired: "EXPIRED",
  owner_disabled: "DISABLED",
  insufficient_scope: "INSUFFICIENT_SCOPE",
  // Not reached: this endpoint does not know the end client's IP, so it passes none.
  ip_not_allowed: "NOT_FOUND",
  unknown_keys_throttled: "RATE_LIMITED",
};

export const POST = withApiKey(
  async (request) => {
    const body = await readJsonBody(request, VerifyBody);
    const result = await verifyApiKey(body.key, { scopes: body.scopes });
    const key = result.key;
    const base = {
      keyId: key?.id ?? null,
      owner: key ? { id: key.owner.id, email: key.owner.email } : null,
      scopes: key?.scopes ?? [],
      environment: key?.environment ?? null,
      expiresAt: key?.expiresAt ? new Date(key.expiresAt).toISOString() : null,
    };
    if (!result.ok) return jsonResponse({ valid: false, code: CODES[result.reason], ...base, ratelimit: null });
    // A verified call counts against the verified key's own limit, as a direct call would.
    const limit = await consumeKeyRequest(result.key.id, result.key.rateLimitPerMinute);
    const ratelimit = { limit: limit.limit, remaining: limit.remaining, reset: limit.resetSeconds };
    return jsonResponse({ valid: limit.allowed, code: limit.allowed ? "VALID" : "RATE_LIMITED", ...base, ratelimit });
  },
  { scopes: ["verify"] },
);

// Every other method: the JSON 405 (Next's own 405 has an empty body).
const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
