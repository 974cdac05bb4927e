import { keyItselfUsableWhere } from "../api-keys/key-policy";
import { db } from "../db";
import { adminUserSelect } from "./manage-users";
import { afterCursor, cursorRow, newestFirst, pageSize, readPage } from "./pagination";
import { containsText, hasLikeWildcards, matchesSearch, normalizeSearch } from "./text-search";

export interface ListUsersInput {
  /** Part of the email or the name, case-insensitive on both databases. */
  search?: string;
  cursor?: string;
  take?: number;
}

export type AdminUserRow = Awaited<ReturnType<typeof listUsers>>["items"][number];

/**
 * Users newest first, with their key counts and when one of their keys was last used.
 * lastActivityAt is the latest ApiKey.lastUsedAt: two grouped reads over the page's
 * users through the (ownerId, createdAt) index, so the cost follows the page size, not
 * the table. It is at most a minute behind (last-used.ts writes once a minute) and does
 * not count dashboard sign-ins; those are in the audit trail.
 */
export async function listUsers(input: ListUsersInput = {}) {
  const take = pageSize(input.take);
  const term = normalizeSearch(input.search);
  const start = await cursorRow(input.cursor, (args) => db.user.findUnique(args));
  // Emails are stored lower-cased, so a lower-cased term matches them on either database.
  const searchWhere = term ? { OR: [{ email: { contains: term.toLowerCase() } }, { name: containsText(term) }] } : {};

  const page = await readPage(
    (after, batch) => db.user.findMany({ where: { AND: [searchWhere, afterCursor(after)] }, orderBy: [...newestFirst], take: batch, select: adminUserSelect }),
    take,
    start,
    term && hasLikeWildcards(term) ? (user) => matchesSearch(term, user.email, user.name) : undefined,
  );

  const ids = page.items.map((user) => user.id);
  const [totals, active] = ids.length
    ? await Promise.all([
        db.apiKey.groupBy({ by: ["ownerId"], where: { ownerId: { in: ids } }, _count: { _all: true }, _max: { lastUsedAt: true } }),
        db.apiKey.groupBy({ by: ["ownerId"], where: { ownerId: { in: ids }, ...keyItselfUsableWhere(new Date()) }, _count: { _all: true } }),
      ])
    : [[], []];
  const totalsByOwner = new Map(totals.map((row) => [row.ownerId, row]));
  const activeByOwner = new Map(active.map((row) => [row.ownerId, row._count._all]));

  return {
    nextCursor: page.nextCursor,
    items: page.items.map((user) => ({
      ...user,
      activeKeyCount: activeByOwner.get(user.id) ?? 0,
      totalKeyCount: totalsByOwner.get(user.id)?._count._all ?? 0,
      lastActivityAt: totalsByOwner.get(user.id)?._max.lastUsedAt ?? null,
    })),
  };
}
