import { AdminError } from "./errors";

/** One page of a newest-first listing; pass `nextCursor` back as `cursor` for the next one. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type CursorRow = { id: string; createdAt: Date };

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** The one order every admin listing uses; `id` breaks ties between rows of the same instant. */
export const newestFirst = [{ createdAt: "desc" }, { id: "desc" }] as const;

/** Clamps a requested page size so a caller cannot ask the database for a million rows at once. */
export function pageSize(take: number | undefined): number {
  if (take === undefined || !Number.isFinite(take)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(take)));
}

/**
 * The rows after a cursor row in newest-first order, as a where clause. It is written as
 * `createdAt <= c AND NOT (createdAt = c AND id >= i)` rather than the equivalent OR, so
 * both SQLite and PostgreSQL can answer it with a range scan of a [createdAt, id] index.
 */
export function afterCursor(row: CursorRow | null) {
  if (!row) return {};
  return {
    AND: [{ createdAt: { lte: row.createdAt } }, { NOT: { createdAt: row.createdAt, id: { gte: row.id } } }],
  };
}

/**
 * The row a cursor names, or null without a cursor (the first page). A cursor whose row
 * is gone (deleted since the page was shown) is refused with a clear message.
 */
export async function cursorRow(
  cursor: string | undefined,
  find: (args: { where: { id: string }; select: { id: true; createdAt: true } }) => Promise<CursorRow | null>,
): Promise<CursorRow | null> {
  if (!cursor) return null;
  const row = await find({ where: { id: cursor }, select: { id: true, createdAt: true } });
  if (!row) throw new AdminError("invalid_input", "That page cursor is no longer valid; start again from the first page.");
  return row;
}

/**
 * Reads one page: asks for one row more than the page holds, to know whether there is a
 * next page without counting. `keep` drops rows a LIKE over-matched (see text-search.ts);
 * when it drops any, further batches are read until the page is full or the rows run out.
 */
export async function readPage<T extends CursorRow>(
  fetchBatch: (after: CursorRow | null, take: number) => Promise<T[]>,
  take: number,
  start: CursorRow | null,
  keep?: (row: T) => boolean,
): Promise<Page<T>> {
  const kept: T[] = [];
  let after = start;
  for (;;) {
    const batch = await fetchBatch(after, take + 1);
    kept.push(...(keep ? batch.filter(keep) : batch));
    if (kept.length > take || batch.length < take + 1) break;
    after = batch[batch.length - 1];
  }
  const items = kept.slice(0, take);
  return { items, nextCursor: kept.length > take ? items[items.length - 1].id : null };
}
