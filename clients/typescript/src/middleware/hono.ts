import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Keyport } from "../client.js";
import { authenticate, type AuthenticateOptions, type KeyportAuth } from "./core.js";

export type KeyportVariables = { keyport: KeyportAuth };

/** The socket address under @hono/node-server (c.env.incoming); other runtimes: pass `ip`. */
function nodeSocketAddress(context: Context): string | undefined {
  const incoming = (context.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}

/**
 * Hono middleware: verifies the caller's `Authorization: Bearer` / `X-API-Key` with Keyport,
 * then `c.get("keyport")` is { key, owner, team }; otherwise answers Keyport's
 * `{ error: { code, message } }` with its status. The client IP defaults to the socket's
 * address under @hono/node-server; elsewhere pass `ip` (for example from `getConnInfo`).
 */
export function keyportHono(keyport: Keyport, options: AuthenticateOptions<Context> = {}): MiddlewareHandler<{ Variables: KeyportVariables }> {
  const ipOf = options.ip ?? nodeSocketAddress;
  return async (context, next) => {
    const outcome = await authenticate(
      keyport,
      { authorization: context.req.header("authorization"), apiKey: context.req.header("x-api-key"), ip: ipOf(context) },
      options,
    );
    if (!outcome.ok) return context.json(outcome.body, outcome.status as ContentfulStatusCode, { "Cache-Control": "no-store", ...outcome.headers });
    context.set("keyport", outcome.auth);
    await next();
  };
}

export type { KeyportAuth } from "./core.js";
