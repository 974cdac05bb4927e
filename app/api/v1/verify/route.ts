// POST /api/v1/verify – for an organisation's other backends: is this key valid? (scope verify)
// Always 200 for a well-formed request: the verdict is in the body's `code`.
import { KEY_REFUSALS } from "@/lib/api-keys/refusals";
import { keyHolderRole, scopesInForce } from "@/lib/api-keys/key-policy";
import { toKeyTeam } from "@/lib/api/serialize";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { jsonResponse } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/read-json-body";
import { VerifyBody } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";
import { consumeKeyRequest } from "@/lib/rate-limit/key-rate-limit";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";

export const POST = withApiKey(
  async (request) => {
    const body = await readJsonBody(request, VerifyBody);
    // The key's allowlist is applied to the end client's address; without one, a key with
    // an allowlist is not VALID (IP_NOT_ALLOWED). Unknown keys are counted against that address
    // too, as a direct caller's are: one stranger flooding a protected backend with invented
    // keys gets RATE_LIMITED for them, without a database read each.
    const result = await verifyApiKey(body.key, { scopes: body.scopes, ip: body.ip ?? null, throttleIp: body.ip ?? null });
    const key = result.key;
    const base = {
      keyId: key?.id ?? null,
      owner: key ? { id: key.owner.id, email: key.owner.email } : null,
      // The tenant to authorize by: a team key's team, or null for a personal key.
      team: key ? toKeyTeam(key) : null,
      scopes: key ? scopesInForce(key.scopes, keyHolderRole(key)) : [],
      environment: key?.environment ?? null,
      expiresAt: key?.expiresAt ? new Date(key.expiresAt).toISOString() : null,
    };
    if (!result.ok) return jsonResponse({ valid: false, code: KEY_REFUSALS[result.reason].verifyCode, ...base, ratelimit: null });
    // A verified call counts against the verified key's own limit, as a direct call would.
    const limit = await consumeKeyRequest(result.key);
    const ratelimit = { limit: limit.limit, remaining: limit.remaining, reset: limit.resetSeconds };
    return jsonResponse({ valid: limit.allowed, code: limit.allowed ? "VALID" : "RATE_LIMITED", ...base, ratelimit });
  },
  { scopes: ["verify"], rateLimitedAs: "verify" },
);

// Every other method: the JSON 405 (Next's own 405 has an empty body).
const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
export const OPTIONS = notAllowed.options;
