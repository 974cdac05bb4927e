import { db } from "../db";
import { recordGraceEndings } from "./record-grace-endings";
import { publicKeySelect } from "./create-api-key";
import { parseScopes } from "./scopes";
import { containsText, hasLikeWildcards, matchesSearch, normalizeSearch } from "../admin/text-search";
import { type KeyDisplayStatus, keyDisplayStatusWhere, keyItselfUsableWhere } from "./key-policy";
import { readableKeysWhere, type TeamKeyReader } from "./key-scope";

/** A member's view of a team's keys (checked: a non-member gets not_found), or a site admin's with `siteAdmin`. */
type TeamReader = TeamKeyReader;

const ownerKeySelect = {
  ...publicKeySelect,
  revokedBy: { select: { id: true, role: true } },
  rolledTo: { select: { retireRolledFromAfterMs: true } },
} as const;

/** An owner's keys, newest first, with who revoked each (to tell an admin revoke apart). */
export async function listKeysForOwner(ownerId: string) {
  // The owner is looking: make sure ended graces are in the trail they may open next.
  await recordGraceEndings().catch(() => undefined);
  const keys = await db.apiKey.findMany({
    where: { ownerId, teamId: null },
    orderBy: { createdAt: "desc" },
    select: ownerKeySelect,
    take: 500,
  });
  return keys.map((key) => toOwnerKey(key, ownerId));
}

type OwnerKeyRow = Awaited<ReturnType<typeof db.apiKey.findMany<{ select: typeof ownerKeySelect }>>>[number];

function toOwnerKey(key: OwnerKeyRow, ownerId: string | null) {
  return {
    ...key,
    scopes: parseScopes(key.scopes),
    // Revoked by anyone but the owner (an admin, or Keyport itself: a leak report); for a
    // team key, by anyone but its creator.
    revokedByAdmin: Boolean(key.revokedAt && key.revokedBy?.id !== (ownerId ?? key.ownerId)),
    /** Set while a usage-aware roll waits for the replacement's first use. */
    retiresAfterReplacementUseMs: key.rolledTo?.retireRolledFromAfterMs ?? null,
  };
}

export type OwnerKey = ReturnType<typeof toOwnerKey>;

export const OWNER_KEYS_PAGE_SIZE = 20;

export interface OwnerKeyQuery {
  /** Part of the name or of the key's start ("kp_live_Ab3x"), case-insensitive. */
  search?: string;
  /** One badge's keys (the key policy's keyDisplayStatusWhere); unset: see includeEnded. */
  status?: KeyDisplayStatus;
  environment?: "test" | "live";
  /** Without a status filter, revoked and expired keys are left out unless this is set. */
  includeEnded?: boolean;
  /** 1-based; past the last page gives the last page. */
  page?: number;
  pageSize?: number;
}

/**
 * One page of an owner's keys, newest first, filtered in the database (never a silent cap):
 * `total` is how many match, `hiddenEnded` how many revoked or expired keys the default view
 * leaves out, `all` how many keys the owner has at all.
 */
export async function listKeysPageForOwner(ownerId: string, query: OwnerKeyQuery = {}, now = new Date()) {
  return listKeysPage({ ownerId, teamId: null }, ownerId, query, now);
}

/** The same page for a team's keys, for a member whose role may view them (a non-member: not_found). */
export async function listKeysPageForTeam(reader: TeamReader, query: OwnerKeyQuery = {}, now = new Date()) {
  return listKeysPage(await readableKeysWhere({ team: reader }), null, query, now);
}

async function listKeysPage(holder: { ownerId: string; teamId: null } | { teamId: string }, ownerId: string | null, query: OwnerKeyQuery, now: Date) {
  await recordGraceEndings().catch(() => undefined);
  const pageSize = Math.min(Math.max(query.pageSize ?? OWNER_KEYS_PAGE_SIZE, 1), 100);
  const search = normalizeSearch(query.search);
  const base = {
    ...holder,
    ...(query.environment ? { environment: query.environment } : {}),
    ...(search ? { OR: [{ name: containsText(search) }, { start: containsText(search) }] } : {}),
  };
  const stateFilter = query.status ? keyDisplayStatusWhere(query.status, now) : query.includeEnded ? {} : keyItselfUsableWhere(now);
  const where = { AND: [base, stateFilter] };
  // LIKE treats % and _ as wildcards: with one in the term, rows are checked exactly in JavaScript.
  const exact = search && hasLikeWildcards(search);
  const [matching, all, usable] = await Promise.all([
    exact ? null : db.apiKey.count({ where }),
    db.apiKey.count({ where: holder }),
    db.apiKey.count({ where: { AND: [base, keyItselfUsableWhere(now)] } }),
  ]);
  const everyMatch = exact
    ? (await db.apiKey.findMany({ where, select: { id: true, name: true, start: true }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] })).filter((key) =>
        matchesSearch(search, key.name, key.start),
      )
    : null;
  const total = everyMatch ? everyMatch.length : (matching ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(Math.trunc(query.page ?? 1) || 1, 1), pageCount);
  const rows = await db.apiKey.findMany({
    where: everyMatch ? { id: { in: everyMatch.slice((page - 1) * pageSize, page * pageSize).map((key) => key.id) } } : where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: ownerKeySelect,
    ...(everyMatch ? {} : { skip: (page - 1) * pageSize, take: pageSize }),
  });
  const withoutStatus = await (query.status || query.includeEnded ? null : db.apiKey.count({ where: base }));
  return {
    keys: rows.map((key) => toOwnerKey(key, ownerId)),
    total,
    page,
    pageCount,
    pageSize,
    all,
    /** Revoked or expired keys that match the search but the default view hides. */
    hiddenEnded: withoutStatus === null ? 0 : withoutStatus - usable,
  };
}

/** Every personal key id of an owner (for the all-keys usage chart): ids only, however many there are. */
export async function ownerKeyIds(ownerId: string) {
  return (await db.apiKey.findMany({ where: { ownerId, teamId: null }, select: { id: true } })).map((key) => key.id);
}

/** Every key id of a team, for a member who may view them. */
export async function teamKeyIds(reader: TeamReader) {
  return (await db.apiKey.findMany({ where: await readableKeysWhere({ team: reader }), select: { id: true } })).map((key) => key.id);
}

/** One of an owner's keys with its audit trail; null if it is not theirs (never reveals another's). */
export async function getKeyForOwner(keyId: string, ownerId: string) {
  return getKey(keyId, { ownerId, teamId: null }, ownerId);
}

/** One of a team's keys with its audit trail, for a member who may view it; null if it is not the team's. */
export async function getKeyForTeam(keyId: string, reader: TeamReader) {
  const holder = await readableKeysWhere({ team: reader }).catch(() => null);
  return holder ? getKey(keyId, holder, null) : null;
}

async function getKey(keyId: string, holder: { ownerId: string; teamId: null } | { teamId: string }, ownerId: string | null) {
  const key = await db.apiKey.findFirst({
    where: { id: keyId, ...holder },
    select: {
      ...publicKeySelect,
      revokedBy: { select: { id: true, email: true } },
      rolledFrom: { select: { id: true, name: true, start: true } },
      rolledTo: { select: { id: true, name: true, start: true, lastUsedAt: true, retireRolledFromAfterMs: true } },
    },
  });
  if (!key) return null;
  const events = await db.auditEvent.findMany({
    where: { targetKeyId: key.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 100,
    select: { id: true, action: true, createdAt: true, ip: true, userAgent: true, details: true, actor: { select: { email: true } } },
  });
  return { ...key, scopes: parseScopes(key.scopes), revokedByAdmin: Boolean(key.revokedAt && key.revokedBy?.id !== (ownerId ?? key.ownerId)), events };
}
