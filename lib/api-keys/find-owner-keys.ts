import { db } from "../db";
import { publicKeySelect } from "./create-api-key";
import { type KeyScope, readableKeysWhere } from "./key-scope";

/** A cursor that names no key of this scope: another owner's key id is indistinguishable from none. */
export class UnknownCursorError extends Error {
  constructor() {
    super("Unknown cursor.");
    this.name = "UnknownCursorError";
  }
}

/**
 * One page of a scope's keys (an owner's personal keys, or a team's for a member who may view
 * them), newest first; `cursor` is the last key id of the previous page. The cursor must be
 * one of the scope's keys: Prisma would otherwise page from wherever another owner's key
 * sorts (revealing that it exists) or throw for an id that is none.
 */
export async function listKeysPageIn(scope: KeyScope, page: { cursor?: string; limit: number }) {
  const holder = await readableKeysWhere(scope);
  if (page.cursor !== undefined) {
    const owned = await db.apiKey.findFirst({ where: { id: page.cursor, ...holder }, select: { id: true } });
    if (!owned) throw new UnknownCursorError();
  }
  const rows = await db.apiKey.findMany({
    where: holder,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    select: publicKeySelect,
  });
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? items[items.length - 1].id : null };
}

/** One key of a scope, or null (a team the member cannot view throws, see readableKeysWhere). */
export async function findKeyIn(scope: KeyScope, keyId: string) {
  return db.apiKey.findFirst({ where: { id: keyId, ...(await readableKeysWhere(scope)) }, select: publicKeySelect });
}
