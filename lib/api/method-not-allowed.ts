import { ApiError, errorResponse } from "./errors";

/**
 * Set by scripts/serve.mjs, and only there (a client's own is dropped), on a request whose
 * method no route handler can take (TRACE, CONNECT, PROPFIND…: Next.js would answer them
 * with a 500 or an empty 400). The request is passed on as OPTIONS with this header naming
 * the method, so the route's own OPTIONS handler answers the JSON 405 with its real `Allow`.
 */
export const REFUSED_METHOD_HEADER = "x-keyport-refused-method";

/**
 * A route's answers for the methods it does not implement, from the list of those it does:
 * the returned handler is the JSON 405 with `Allow` (Next.js's own 405 has an empty body,
 * not the one error shape every /api answer promises), and its `options` is the route's
 * OPTIONS: 204 with the same `Allow` and `Cache-Control: no-store`. Without that export Next
 * answers OPTIONS itself and lists every exported method, the 405 ones included.
 */
export function methodNotAllowed(...allowed: string[]) {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const message = `This route accepts ${allowed.join(" and ")} only.`;
  const notAllowed = async (): Promise<Response> => errorResponse(new ApiError("method_not_allowed", 405, message, { Allow: allow }));
  const options = async (request: Request): Promise<Response> => {
    if (request.headers.has(REFUSED_METHOD_HEADER)) return notAllowed();
    return new Response(null, { status: 204, headers: { Allow: allow, "Cache-Control": "no-store" } });
  };
  return Object.assign(notAllowed, { options });
}
