/** Why a key operation was refused; lib/api/errors.ts and the server actions map these. */
export type ApiKeyErrorCode = "not_found" | "limit_reached" | "invalid_state" | "forbidden_scope";

export class ApiKeyError extends Error {
  constructor(
    readonly code: ApiKeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiKeyError";
  }
}
