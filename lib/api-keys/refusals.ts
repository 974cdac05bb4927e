import type { ApiKeyErrorCode } from "./errors";

/**
 * The one refusal table: every reason Keyport refuses a key or a key operation, with the
 * HTTP status and error code /api/v1 answers, the RFC 6750 `WWW-Authenticate` challenge of
 * a 401/403 from the key guard, and the code POST /api/v1/verify reports for a key it
 * checks on another backend's behalf. The guard, /verify, the server actions and the CLI
 * all read it; nothing else maps a refusal.
 */
export type VerifyFailureReason =
  | "missing"
  | "malformed"
  | "unknown"
  | "revoked"
  | "expired"
  | "owner_disabled"
  | "team_suspended"
  | "insufficient_scope"
  | "ip_not_allowed"
  | "unknown_keys_throttled";

export const VERIFY_CODES = ["VALID", "NOT_FOUND", "REVOKED", "EXPIRED", "DISABLED", "INSUFFICIENT_SCOPE", "IP_NOT_ALLOWED", "RATE_LIMITED"] as const;
export type VerifyCode = (typeof VERIFY_CODES)[number];

/** Every code the API's error body can carry (lib/api/errors.ts types it from here). */
export const API_ERROR_CODES = [
  "missing_key",
  "malformed_key",
  "unknown_key",
  "revoked_key",
  "expired_key",
  "owner_disabled",
  "team_suspended",
  "invalid_signature",
  "insufficient_scope",
  "ip_not_allowed",
  "bad_request",
  "request_timeout",
  "payload_too_large",
  "unsupported_media_type",
  "headers_too_large",
  "validation_failed",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "conflict",
  "limit_reached",
  "email_unverified",
  "rate_limited",
  "unavailable",
  "internal_error",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface Refusal {
  status: number;
  code: ApiErrorCode;
  message: string;
  /** RFC 6750 error for the Bearer challenge; absent: a bare `Bearer realm="keyport"`. */
  bearerError?: "invalid_token" | "insufficient_scope";
  /** Set for refusals of a presented key: what /verify reports for it. */
  verifyCode?: VerifyCode;
}

export const KEY_REFUSALS: Record<VerifyFailureReason, Refusal> = {
  missing: { status: 401, code: "missing_key", message: "Send your API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.", verifyCode: "NOT_FOUND" },
  malformed: { status: 401, code: "malformed_key", message: "The API key is not in a valid format.", bearerError: "invalid_token", verifyCode: "NOT_FOUND" },
  unknown: { status: 401, code: "unknown_key", message: "The API key is not recognised.", bearerError: "invalid_token", verifyCode: "NOT_FOUND" },
  revoked: { status: 401, code: "revoked_key", message: "The API key has been revoked.", bearerError: "invalid_token", verifyCode: "REVOKED" },
  expired: { status: 401, code: "expired_key", message: "The API key has expired.", bearerError: "invalid_token", verifyCode: "EXPIRED" },
  owner_disabled: { status: 401, code: "owner_disabled", message: "The account that owns this API key is disabled.", bearerError: "invalid_token", verifyCode: "DISABLED" },
  team_suspended: { status: 401, code: "team_suspended", message: "The team that owns this API key is suspended.", bearerError: "invalid_token", verifyCode: "DISABLED" },
  insufficient_scope: { status: 403, code: "insufficient_scope", message: "The API key does not hold the scope this request needs.", bearerError: "insufficient_scope", verifyCode: "INSUFFICIENT_SCOPE" },
  ip_not_allowed: { status: 403, code: "ip_not_allowed", message: "The API key may not be used from this IP address.", verifyCode: "IP_NOT_ALLOWED" },
  unknown_keys_throttled: { status: 429, code: "rate_limited", message: "Too many unknown API keys from this address.", verifyCode: "RATE_LIMITED" },
};

/** Key operations (create, change, roll, revoke) refused by the policy. */
export const OPERATION_REFUSALS: Record<ApiKeyErrorCode, Refusal> = {
  not_found: { status: 404, code: "not_found", message: "No such key." },
  limit_reached: { status: 409, code: "limit_reached", message: "The most active keys allowed are in use." },
  invalid_state: { status: 409, code: "conflict", message: "The key is not in a state that allows this." },
  forbidden_scope: { status: 403, code: "insufficient_scope", message: "That would grant more than is allowed." },
  forbidden_role: { status: 403, code: "forbidden", message: "Your role in this team does not allow that." },
  invalid_input: { status: 422, code: "validation_failed", message: "The request is not valid." },
  email_unverified: { status: 403, code: "email_unverified", message: "Verify your email address before creating keys." },
};

/** The `WWW-Authenticate` value for a key refusal. */
export function bearerChallenge(refusal: Refusal): string {
  return refusal.bearerError ? `Bearer realm="keyport", error="${refusal.bearerError}"` : `Bearer realm="keyport"`;
}
