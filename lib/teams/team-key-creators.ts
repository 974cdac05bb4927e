import { db } from "../db";

/**
 * The email of each team key's creator, by key id, for the team's key list and key page
 * (a creator who left the team, or whose account was disabled, is still named: the key is
 * the team's, the record says who made it). The keys were read through a member's checked
 * view; this only names their creators. (A pure read written by teams-ui.)
 */
export async function teamKeyCreators(keys: readonly { id: string; ownerId: string }[]): Promise<Map<string, string>> {
  const ids = [...new Set(keys.map((key) => key.ownerId))];
  const users = ids.length ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } }) : [];
  const emails = new Map(users.map((user) => [user.id, user.email]));
  return new Map(keys.flatMap((key) => (emails.has(key.ownerId) ? [[key.id, emails.get(key.ownerId)!] as const] : [])));
}
