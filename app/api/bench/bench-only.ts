import { ApiError, errorResponse } from "@/lib/api/errors";
import { env } from "@/lib/env";

/**
 * Serves a benchmark route only on a server started with KEYPORT_BENCH=1 (npm run bench
 * starts its own). Any other server answers the same JSON 404 as a path no route handles,
 * so these comparison routes do not exist as far as a real deployment's callers can tell.
 */
export function benchOnly(handler: (request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    if (!env.KEYPORT_BENCH) {
      return errorResponse(new ApiError("not_found", 404, `No API route matches ${new URL(request.url).pathname}.`));
    }
    return handler(request);
  };
}
