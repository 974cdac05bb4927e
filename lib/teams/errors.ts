/**
 * Why a team operation was refused. `not_found` is also what a non-member (or a member of
 * another team) gets for a team they cannot see, so a team's existence is never revealed.
 */
export type TeamErrorCode =
  | "not_found"
  | "forbidden"
  | "conflict"
  | "invalid_input"
  | "invalid_state"
  | "last_owner"
  | "invite_wrong_email"
  | "invite_unverified"
  | "invite_expired"
  | "invite_used"
  | "invite_revoked"
  | "throttled";

export class TeamError extends Error {
  constructor(
    readonly code: TeamErrorCode,
    message: string,
    /** The form field the error belongs next to (e.g. "slug", "email"), when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "TeamError";
  }
}
