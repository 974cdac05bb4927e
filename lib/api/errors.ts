import { ZodError } from "zod";
import { ApiKeyError } from "../api-keys/errors";
import { type ApiErrorCode, OPERATION_REFUSALS } from "../api-keys/refusals";

export type { ApiErrorCode };

/**
 * request_timeout and headers_too_large come from scripts/serve.mjs, for requests Node's HTTP
 * parser refuses before any handler runs; they are listed here so the codes live in one place.
 */

/** The one error type of /api/v1: thrown anywhere below a handler, mapped once by errorResponse. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Headers every /api/v1 response carries: nothing here may be cached by anyone. */
export const API_HEADERS = { "Cache-Control": "no-store", "Content-Type": "application/json" } as const;

export function jsonResponse(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}) {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { ...API_HEADERS, ...init.headers },
  });
}

function errorBody(code: ApiErrorCode, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Database connection failures, as the Prisma driver adapters and drivers report them. */
function isDatabaseUnavailable(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message} ${String((error as { code?: unknown }).code)}` : "";
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|timeout exceeded|Query read timeout|Connection terminated|DatabaseNotReachable|P1001|P1002|P2024|SQLITE_BUSY|Can't reach database/i.test(
    text,
  );
}

/**
 * Turns anything thrown into the one error shape `{ error: { code, message } }`.
 * Unknown errors become a generic 500 that reveals nothing; the detail goes to the log only.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof ApiError) {
    return jsonResponse(errorBody(error.code, error.message, error.details), { status: error.status, headers: error.headers });
  }
  if (error instanceof ZodError) {
    const details = error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    return jsonResponse(errorBody("validation_failed", "The request body or query is not valid.", details), { status: 422 });
  }
  if (error instanceof ApiKeyError) {
    const refusal = OPERATION_REFUSALS[error.code];
    return jsonResponse(errorBody(refusal.code, error.message), { status: refusal.status });
  }
  if (isDatabaseUnavailable(error)) {
    console.warn("[keyport] database unavailable:", error instanceof Error ? error.message.split("\n")[0] : error);
    return jsonResponse(errorBody("unavailable", "The service is temporarily unavailable. Retry shortly."), {
      status: 503,
      headers: { "Retry-After": "5" },
    });
  }
  console.error("[keyport] unhandled error in /api/v1:", error);
  return jsonResponse(errorBody("internal_error", "Something went wrong on our side."), { status: 500 });
}
