import { ApiError, errorResponse } from "./errors";

/**
 * A handler for the methods a route does not implement: a JSON 405 with `Allow`. Without
 * it Next.js answers them itself with an empty-bodied 405, which is not the one error
 * shape every /api/v1 answer promises.
 */
export function methodNotAllowed(...allowed: string[]) {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const message = `This route accepts ${allowed.join(" and ")} only.`;
  return async (): Promise<Response> => errorResponse(new ApiError("method_not_allowed", 405, message, { Allow: allow }));
}
