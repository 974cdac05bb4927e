import type { Db } from "../db";

type Tx = Pick<Db, "teamMember">;

/**
 * Who hears about a key: its owner for a personal key; for a team key (teamId set), the
 * team's owners and admins, who manage its keys (the creator kept in ownerId may have left),
 * except those an admin disabled: a frozen account is cut off from the team's news too.
 */
export async function keyAudience(tx: Tx, key: { ownerId: string; teamId: string | null }): Promise<string[]> {
  if (!key.teamId) return [key.ownerId];
  const managers = await tx.teamMember.findMany({
    where: { teamId: key.teamId, role: { in: ["owner", "admin"] }, team: { deletedAt: null }, user: { disabledAt: null } },
    select: { userId: true },
    orderBy: { userId: "asc" },
  });
  return managers.map((member) => member.userId);
}

/** How a key is named in a notice: its name and its public start, never more of it. */
export function describeKey(key: { name: string; start: string }): string {
  return `“${key.name}” (${key.start}…)`;
}

/** The dashboard page of a key. */
export function keyHref(keyId: string): string {
  return `/dashboard/keys/${keyId}`;
}
