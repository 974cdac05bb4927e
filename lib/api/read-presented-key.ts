import { constantTimeEqual } from "../api-keys/key-format";

/**
 * Extracts the key a caller presented, from `Authorization: Bearer <key>` or `X-API-Key`.
 * Returns "ambiguous" when the two headers disagree or a header is not of the one
 * accepted shape, so the guard can answer `malformed_key` instead of guessing.
 */
export function readPresentedKey(headers: Headers): string | null | "ambiguous" {
  const authorization = headers.get("authorization");
  const apiKeyHeader = headers.get("x-api-key");

  let fromAuthorization: string | null = null;
  if (authorization !== null) {
    // The auth scheme is case-insensitive (RFC 9110 §11.1); exactly one space separates it.
    const match = /^Bearer ([^\s,]+)$/i.exec(authorization);
    if (!match) return "ambiguous";
    fromAuthorization = match[1];
  }
  const fromHeader = apiKeyHeader === null ? null : apiKeyHeader;
  if (fromHeader !== null && !/^[^\s,]+$/.test(fromHeader)) return "ambiguous";

  if (fromAuthorization !== null && fromHeader !== null && !constantTimeEqual(fromAuthorization, fromHeader)) return "ambiguous";
  return fromAuthorization ?? fromHeader;
}
