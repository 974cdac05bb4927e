import { ApiKeyError } from "./errors";
import { ADMIN_ONLY_SCOPES } from "./scopes";

/**
 * Refuses scopes a key may not be given: admin-only scopes for a non-admin owner, and,
 * when a key creates or edits another through the API, anything the calling key does not
 * hold itself, so a key can never mint a more powerful one.
 */
export function assertScopesGrantable(scopes: readonly string[], grantor: { ownerIsAdmin: boolean; callerScopes?: readonly string[] }) {
  const adminOnly = scopes.filter((scope) => ADMIN_ONLY_SCOPES.includes(scope));
  if (adminOnly.length && !grantor.ownerIsAdmin) {
    throw new ApiKeyError("forbidden_scope", `Only an admin can grant: ${adminOnly.join(", ")}.`);
  }
  if (grantor.callerScopes) {
    const beyond = scopes.filter((scope) => !grantor.callerScopes!.includes(scope));
    if (beyond.length) throw new ApiKeyError("forbidden_scope", `A key cannot grant scopes it does not hold: ${beyond.join(", ")}.`);
  }
}
