import type { Keyport } from "../client.js";
import { authenticate, type AuthenticateOptions, type KeyportAuth, refusalResponse } from "./core.js";

/**
 * Wraps a Next.js route handler (or any `(Request, context) => Response` handler): verifies
 * the caller's `Authorization: Bearer` / `X-API-Key` with Keyport and calls the handler with
 * `context.keyport` ({ key, owner, team }), or answers Keyport's `{ error: { code, message } }`
 * with its status. A Request carries no client address: pass `ip` (from a header your proxy
 * sets) for keys with an IP allowlist, which are refused without one.
 */
export function withKeyport<Context = unknown>(
  keyport: Keyport,
  options: AuthenticateOptions<Request>,
  handler: (request: Request, context: Context & { keyport: KeyportAuth }) => Response | Promise<Response>,
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    const outcome = await authenticate(
      keyport,
      { authorization: request.headers.get("authorization"), apiKey: request.headers.get("x-api-key"), ip: options.ip?.(request) },
      options,
    );
    if (!outcome.ok) return refusalResponse(outcome);
    return handler(request, { ...(context as Context), keyport: outcome.auth });
  };
}

export type { KeyportAuth } from "./core.js";
