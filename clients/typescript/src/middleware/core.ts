import type { Keyport } from "../client.js";
import type { ApiErrorBody } from "../errors.js";
import { MALFORMED_KEY_REFUSAL, MISSING_KEY_REFUSAL, TEAM_SUSPENDED_REFUSAL, VERDICT_REFUSALS } from "../generated/refusals.js";
import type { VerifiedTeam, VerifyResult } from "../types.js";

/** What a middleware puts on the request once Keyport has said VALID. */
export interface KeyportAuth {
  key: { id: string; scopes: string[]; environment: NonNullable<VerifyResult["environment"]>; expiresAt: string | null };
  owner: NonNullable<VerifyResult["owner"]>;
  /** The key's team when the server reports one (null otherwise). */
  team: VerifiedTeam;
  ratelimit: VerifyResult["ratelimit"];
}

export interface AuthenticateOptions<Req> {
  /** Scopes the caller's key must hold, all of them (default: none beyond a valid key). */
  scopes?: string[];
  /**
   * The caller's IP address, passed to Keyport for keys with an IP allowlist. Take it from
   * your proxy's header only if that proxy overwrites it: a client can send any
   * X-Forwarded-For. Undefined: a key with an allowlist is refused (IP_NOT_ALLOWED).
   */
  ip?: (request: Req) => string | undefined;
  /** Told when Keyport could not be asked (the caller then gets a 503); default: nothing. */
  onError?: (error: unknown) => void;
}

/**
 * The longest key POST /api/v1/verify accepts (its body schema answers a longer one 422).
 * No Keyport key comes near it, so a longer one is refused here, as Keyport's own guard
 * refuses it (malformed_key), instead of being sent to be answered as an outage.
 */
const MAX_PRESENTED_KEY_LENGTH = 200;

const UNAVAILABLE = { status: 503, code: "unavailable", message: "The API key could not be checked. Retry shortly." };

export type AuthOutcome =
  | { ok: true; auth: KeyportAuth }
  | { ok: false; status: number; body: ApiErrorBody; headers: Record<string, string> };

/**
 * The key a caller presented, from `Authorization: Bearer <key>` or `X-API-Key`, read as
 * Keyport reads it: "ambiguous" when the two disagree or either is not of the one accepted
 * shape, null when neither is sent.
 */
export function readPresentedKey(authorization: string | null | undefined, apiKey: string | null | undefined): string | null | "ambiguous" {
  let fromAuthorization: string | null = null;
  if (authorization != null) {
    const match = /^Bearer ([^\s,]+)$/i.exec(authorization);
    if (!match) return "ambiguous";
    fromAuthorization = match[1]!;
  }
  const fromHeader = apiKey ?? null;
  if (fromHeader !== null && !/^[^\s,]+$/.test(fromHeader)) return "ambiguous";
  if (fromAuthorization !== null && fromHeader !== null && fromAuthorization !== fromHeader) return "ambiguous";
  return fromAuthorization ?? fromHeader;
}

function refuse(refusal: { status: number; code: string; message: string; wwwAuthenticate?: string }, message = refusal.message, headers: Record<string, string> = {}): AuthOutcome {
  if (refusal.wwwAuthenticate) headers["WWW-Authenticate"] = refusal.wwwAuthenticate;
  return { ok: false, status: refusal.status, body: { error: { code: refusal.code as ApiErrorBody["error"]["code"], message } }, headers };
}

/**
 * Asks Keyport about the key in these headers and turns the verdict into what a middleware
 * does: go on with the key, owner and team, or answer Keyport's error shape with the status
 * Keyport itself would answer (401, 403, 429; 503 when Keyport could not be asked).
 */
export async function authenticate(
  keyport: Keyport,
  presented: { authorization?: string | null; apiKey?: string | null; ip?: string },
  options: Pick<AuthenticateOptions<unknown>, "scopes" | "onError"> = {},
): Promise<AuthOutcome> {
  const key = readPresentedKey(presented.authorization, presented.apiKey);
  if (key === null) return refuse(MISSING_KEY_REFUSAL);
  if (key === "ambiguous" || key.length > MAX_PRESENTED_KEY_LENGTH) return refuse(MALFORMED_KEY_REFUSAL);
  const scopes = options.scopes ?? [];

  let result: VerifyResult;
  try {
    result = await keyport.verifyKey({ key, scopes, ip: presented.ip });
  } catch (error) {
    options.onError?.(error);
    return refuse(UNAVAILABLE, undefined, { "Retry-After": "5" });
  }
  // A 200 that is not a verdict (a proxy's page, an empty object) gave no answer about the key.
  if (typeof result !== "object" || result === null || typeof result.code !== "string") {
    options.onError?.(new TypeError("Keyport's /verify answered 200 without a verdict."));
    return refuse(UNAVAILABLE, undefined, { "Retry-After": "5" });
  }

  if (result.code === "VALID" && result.valid && result.keyId && result.owner && result.environment) {
    const team = ((result as { team?: unknown }).team ?? null) as VerifiedTeam;
    return {
      ok: true,
      auth: {
        key: { id: result.keyId, scopes: result.scopes, environment: result.environment, expiresAt: result.expiresAt },
        owner: result.owner,
        team,
        ratelimit: result.ratelimit,
      },
    };
  }
  const code = result.code === "VALID" ? "NOT_FOUND" : result.code;
  // DISABLED is a disabled owner, or for a team key (which depends on no person) its suspended team.
  // A code newer than this client is still a refusal: answered as an unknown key, never a crash.
  const refusal = code === "DISABLED" && (result as { team?: unknown }).team ? TEAM_SUSPENDED_REFUSAL : (VERDICT_REFUSALS[code] ?? VERDICT_REFUSALS.NOT_FOUND);
  if (code === "INSUFFICIENT_SCOPE") {
    const missing = scopes.filter((scope) => !result.scopes.includes(scope));
    return refuse(refusal, missing.length ? `${refusal.message} Missing: ${missing.join(", ")}.` : refusal.message);
  }
  if (code === "RATE_LIMITED" && result.ratelimit) {
    const seconds = Math.max(1, Math.ceil(result.ratelimit.reset));
    return refuse(refusal, `Rate limit of ${result.ratelimit.limit} requests a minute reached. Retry in ${seconds} s.`, { "Retry-After": String(seconds) });
  }
  return refuse(refusal);
}

/** A Response in Keyport's error shape, for the frameworks that answer with web Responses. */
export function refusalResponse(outcome: Extract<AuthOutcome, { ok: false }>): Response {
  return new Response(JSON.stringify(outcome.body), {
    status: outcome.status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...outcome.headers },
  });
}
