import { publicKeySelect } from "../api-keys/create-api-key";
import type { KeyEnvironment } from "../api-keys/key-format";
import { keyDisplayStatusWhere } from "../api-keys/key-policy";
import { KEY_STATUS_LABELS, type KeyStatus, keyStatus } from "../api-keys/key-status";
import { parseScopes } from "../api-keys/scopes";
import { db } from "../db";
import { AdminError } from "./errors";
import { findUserByEmail } from "./manage-users";
import { afterCursor, cursorRow, newestFirst, pageSize, readPage } from "./pagination";
import { containsText, hasLikeWildcards, matchesSearch, normalizeSearch } from "./text-search";

/** Every status a key can have, in the order the console's filter offers them. */
export const KEY_STATUSES = Object.keys(KEY_STATUS_LABELS) as readonly KeyStatus[];

export interface ListAllKeysInput {
  status?: KeyStatus;
  environment?: KeyEnvironment;
  ownerEmail?: string;
  /** Only this team's keys (the console's team page). */
  teamId?: string;
  /** Part of the key's name or display start, case-insensitive on both databases. */
  search?: string;
  cursor?: string;
  take?: number;
}

// A team key's owner is the member who created it; the team is who the key belongs to.
const adminKeySelect = { ...publicKeySelect, owner: { select: { email: true, role: true } }, team: { select: { slug: true, name: true } } } as const;

type AdminKeyRecord = { revokedAt: Date | null; expiresAt: Date | null; graceEndsAt: Date | null; scopes: string };

function toAdminKey<T extends AdminKeyRecord>(key: T, now: Date) {
  return { ...key, scopes: parseScopes(key.scopes), status: keyStatus(key, now) };
}

export type AdminKeyRow = Awaited<ReturnType<typeof listAllKeys>>["items"][number];

/**
 * Every user's keys, newest first, with the owner's email and the status badge; never
 * the hash. An owner filter is resolved to the owner's id first, so the page is read
 * through the (ownerId, createdAt) index; otherwise through the createdAt index.
 */
export async function listAllKeys(input: ListAllKeysInput = {}) {
  const now = new Date();
  const take = pageSize(input.take);
  const term = normalizeSearch(input.search);
  const owner = input.ownerEmail === undefined ? undefined : await findUserByEmail(input.ownerEmail);
  if (owner === null) return { items: [], nextCursor: null };
  const start = await cursorRow(input.cursor, (args) => db.apiKey.findUnique(args));
  const filters = [
    owner ? { ownerId: owner.id } : {},
    input.teamId ? { teamId: input.teamId } : {},
    input.environment ? { environment: input.environment } : {},
    input.status ? keyDisplayStatusWhere(input.status, now) : {},
    term ? { OR: [{ name: containsText(term) }, { start: containsText(term) }] } : {},
  ];
  const page = await readPage(
    (after, batch) => db.apiKey.findMany({ where: { AND: [...filters, afterCursor(after)] }, orderBy: [...newestFirst], take: batch, select: adminKeySelect }),
    take,
    start,
    term && hasLikeWildcards(term) ? (key) => matchesSearch(term, key.name, key.start) : undefined,
  );
  return { nextCursor: page.nextCursor, items: page.items.map((key) => toAdminKey(key, now)) };
}

/**
 * Finds one key by its id or its display start (what tables show, e.g. "kp_live_Ab3x").
 * Starts are not unique, so a start shared by several keys is refused, listing them.
 */
export async function findKeyByIdOrStart(idOrStart: string) {
  const now = new Date();
  const wanted = idOrStart.trim();
  const byId = await db.apiKey.findUnique({ where: { id: wanted }, select: adminKeySelect });
  if (byId) return toAdminKey(byId, now);
  const matches = await db.apiKey.findMany({ where: { start: wanted }, orderBy: [...newestFirst], take: 11, select: adminKeySelect });
  if (matches.length === 0) throw new AdminError("not_found", `No key has the id or start "${wanted}".`);
  if (matches.length > 1) {
    const listed = matches
      .slice(0, 10)
      .map((key) => `${key.id} (${key.name}, ${key.owner.email}, ${keyStatus(key, now)})`)
      .join("; ");
    throw new AdminError("ambiguous", `${matches.length > 10 ? "More than 10" : matches.length} keys start with "${wanted}": ${listed}. Use the id instead.`);
  }
  return toAdminKey(matches[0], now);
}
