import { databaseKind } from "../db";

/**
 * Search that means the same on SQLite and PostgreSQL: a case-insensitive "contains".
 *
 * Prisma's `contains` becomes LIKE on SQLite (case-insensitive for ASCII) and LIKE on
 * PostgreSQL (case-sensitive), so on PostgreSQL we ask for ILIKE with `mode: "insensitive"`.
 * Prisma does not escape LIKE's wildcards either: a search for "a_b" also finds "axb".
 * `matchesSearch` is the exact test the caller applies to the rows to drop those.
 */
export function containsText(term: string) {
  // The SQLite client's types have no `mode`; PostgreSQL's client accepts it.
  return (databaseKind === "postgresql" ? { contains: term, mode: "insensitive" } : { contains: term }) as { contains: string };
}

/** Whether LIKE could have over-matched this term, so results need the exact check. */
export function hasLikeWildcards(term: string): boolean {
  return /[%_]/.test(term);
}

/** The exact, case-insensitive version of `containsText`, applied in JavaScript. */
export function matchesSearch(term: string, ...values: (string | null | undefined)[]): boolean {
  const needle = term.toLowerCase();
  return values.some((value) => value?.toLowerCase().includes(needle));
}

/** A search term as typed: trimmed, and undefined when there is nothing left. */
export function normalizeSearch(search: string | undefined): string | undefined {
  const term = search?.trim();
  return term ? term.slice(0, 200) : undefined;
}
