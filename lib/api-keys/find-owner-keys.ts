import { db } from "../db";
import { publicKeySelect } from "./create-api-key";

/** One page of an owner's keys, newest first; `cursor` is the last key id of the previous page. */
export async function listOwnerKeysPage(ownerId: string, page: { cursor?: string; limit: number }) {
  const rows = await db.apiKey.findMany({
    where: { ownerId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    select: publicKeySelect,
  });
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? items[items.length - 1].id : null };
}

/** One of an owner's keys, or null: another owner's key id is indistinguishable from none. */
export function findOwnerKey(ownerId: string, keyId: string) {
  return db.apiKey.findFirst({ where: { id: keyId, ownerId }, select: publicKeySelect });
}
