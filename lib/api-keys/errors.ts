/** Why a key operation was refused; refusals.ts maps each code to what every path answers. */
export type ApiKeyErrorCode = "not_found" | "limit_reached" | "invalid_state" | "forbidden_scope" | "forbidden_role" | "invalid_input" | "email_unverified";

export class ApiKeyError extends Error {
  constructor(
    readonly code: ApiKeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiKeyError";
  }
}
