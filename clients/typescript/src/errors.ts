import type { components } from "./generated/openapi.js";

/** Every code Keyport's error body can carry, from the served OpenAPI document. */
export type ApiErrorCode = components["schemas"]["Error"]["error"]["code"];
export type ApiErrorBody = components["schemas"]["Error"];

/** The base class of everything this package throws. */
export class KeyportError extends Error {
  override name = "KeyportError";
}

/**
 * Keyport answered with an error: `status` and `code` are the API's (`"unexpected_response"`
 * when the body was not Keyport's error shape, for example a proxy's HTML page).
 */
export class KeyportApiError extends KeyportError {
  override name = "KeyportApiError";
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | "unexpected_response",
    message: string,
    readonly details: { path: string; message: string }[] = [],
    /** Seconds from `Retry-After` (429 and 503), else null. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }

  /** The error for a non-2xx answer, from its parsed body (openapi-fetch's `error`). */
  static from(response: Response, body: unknown): KeyportApiError {
    const retryAfter = Number(response.headers.get("retry-after"));
    const retryAfterSeconds = response.headers.has("retry-after") && Number.isFinite(retryAfter) ? retryAfter : null;
    const error = (body as Partial<ApiErrorBody> | undefined)?.error;
    if (error && typeof error.code === "string" && typeof error.message === "string") {
      return new KeyportApiError(response.status, error.code, error.message, error.details ?? [], retryAfterSeconds);
    }
    return new KeyportApiError(response.status, "unexpected_response", `Keyport answered ${response.status} without its error body.`, [], retryAfterSeconds);
  }
}

/** Keyport could not be reached (connection refused or reset, DNS, TLS), after any retries. */
export class KeyportNetworkError extends KeyportError {
  override name = "KeyportNetworkError";
}

/** Keyport did not answer within the client's `timeoutMs`, after any retries. */
export class KeyportTimeoutError extends KeyportError {
  override name = "KeyportTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`Keyport did not answer within ${timeoutMs} ms.`);
  }
}
