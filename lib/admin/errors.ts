/** Why an admin operation was refused; the admin console and the CLI show `message` as it is. */
export type AdminErrorCode = "not_found" | "invalid_input" | "invalid_state" | "conflict" | "ambiguous";

export class AdminError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    /** Per-field messages for forms, when the input failed validation. */
    readonly fieldErrors?: Record<string, string[] | undefined>,
  ) {
    super(message);
    this.name = "AdminError";
  }
}
