/**
 * Whose keys the key components are showing: the signed-in user's own (personal) or a team's.
 * The same components serve both; the scope only decides where their links go and adds the
 * team's slug to every form they post. It grants nothing: each action hands the slug to lib/,
 * which loads the caller's membership and role on every request and refuses what the role
 * may not do, whatever a form (or a hand-made request) says.
 */
export interface KeyScope {
  /** The team's URL slug, or null for the personal keys. */
  teamSlug: string | null;
  /** The key list's path (its filters are GET parameters of it). */
  listPath: string;
  /** A key's page is `${keysPath}/<id>`. */
  keysPath: string;
}

export const PERSONAL_SCOPE: KeyScope = { teamSlug: null, listPath: "/dashboard", keysPath: "/dashboard/keys" };

/** A team's pages live under /dashboard/teams/<slug>: the list at …/keys, a key at …/keys/<id>. */
export function teamScope(slug: string): KeyScope {
  const keysPath = `/dashboard/teams/${encodeURIComponent(slug)}/keys`;
  return { teamSlug: slug, listPath: keysPath, keysPath };
}

/** A key's page in this scope. */
export function keyHref(scope: KeyScope, keyId: string) {
  return `${scope.keysPath}/${keyId}`;
}
