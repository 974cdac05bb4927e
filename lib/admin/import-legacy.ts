import { createHash } from "node:crypto";
import { invalidate } from "../api-keys/key-events";
import { displayStart, hashApiKey, parseApiKey } from "../api-keys/key-format";
import { serializeScopes } from "../api-keys/scopes";
import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { env } from "../env";
import { emailSchema } from "../validations/auth";
import { type LegacyKey, type LegacyUser, readLegacyDatabase } from "./read-legacy-database";

/** `.invalid` is reserved (RFC 2606): mail to a placeholder address can never reach anyone. */
export const LEGACY_EMAIL_DOMAIN = "legacy.keyport.invalid";
export const IMPORTED_KEY_NAME = "Imported from tutorial";
// The tutorial's keys could only identify their owner (its GET /user), which is me:read here.
const IMPORTED_SCOPES = serializeScopes(["me:read"]);
const LOOKUP_CHUNK = 500;

export interface ImportLegacySummary {
  dryRun: boolean;
  usersCreated: number;
  usersMatched: number;
  keysImported: number;
  keysSkipped: { legacyId: number; reason: string }[];
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * The Keyport email for a tutorial user, who has a user_id but no email. A user_id that
 * is a valid email is used as it is (lower-cased, like every stored email), so it matches
 * an account that person may already have. Anything else becomes a placeholder at
 * legacy.keyport.invalid: kept readable where it can be, and given a hash of the exact
 * user_id whenever making it readable changed it, so "Bob" and "bob" (distinct in the
 * tutorial's case-sensitive unique column) stay two users. The same user_id gives the
 * same email on every run, which is what makes a second import match instead of create.
 */
export function placeholderEmailFor(legacyUserId: string): string {
  const asEmail = emailSchema.safeParse(legacyUserId);
  if (asEmail.success) return asEmail.data;
  const tidy = (text: string) => text.replace(/^[.-]+|[.-]+$/g, "");
  const slug = tidy(tidy(legacyUserId.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/\.{2,}/g, ".")).slice(0, 40));
  const local = slug === legacyUserId ? slug : [slug, sha256(legacyUserId).slice(0, 10)].filter(Boolean).join("-");
  const email = `${local}@${LEGACY_EMAIL_DOMAIN}`;
  return emailSchema.safeParse(email).success ? email : `legacy-${sha256(legacyUserId).slice(0, 16)}@${LEGACY_EMAIL_DOMAIN}`;
}

interface PlannedKey {
  legacy: LegacyKey;
  hash: string;
  start: string;
}

interface PlannedOwner {
  email: string;
  /** The first tutorial user behind this email; its name and date are the ones kept. */
  legacy: LegacyUser;
  existingUserId: string | null;
  keys: PlannedKey[];
}

/** Looks up many values in slices, so no query exceeds a database's parameter limit. */
async function inChunks<T>(values: string[], lookup: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const found: T[] = [];
  for (let i = 0; i < values.length; i += LOOKUP_CHUNK) found.push(...(await lookup(values.slice(i, i + LOOKUP_CHUNK))));
  return found;
}

/** Decides what to import and what to skip, reading Keyport but writing nothing. */
async function planImport(users: LegacyUser[], keys: LegacyKey[]) {
  const skipped: ImportLegacySummary["keysSkipped"] = [];
  const usersById = new Map(users.map((user) => [user.userId, user]));
  const firstLegacyIdByHash = new Map<string, number>();
  const candidates: { key: PlannedKey; owner: LegacyUser }[] = [];
  for (const legacy of keys) {
    const owner = usersById.get(legacy.userId);
    const secret = legacy.secretKey ?? "";
    const parsed = parseApiKey(secret, env.KEY_PREFIX);
    if (!owner) skipped.push({ legacyId: legacy.id, reason: `its user_id "${legacy.userId}" is not in the users table` });
    else if (!secret.trim()) skipped.push({ legacyId: legacy.id, reason: "empty secret_key" });
    else if (!parsed.ok || !parsed.legacy) {
      skipped.push({ legacyId: legacy.id, reason: "secret_key is not MV_SECRET_ followed by 64 lower-case hex characters" });
    } else {
      const hash = hashApiKey(secret);
      const first = firstLegacyIdByHash.get(hash);
      if (first !== undefined) skipped.push({ legacyId: legacy.id, reason: `same secret as legacy key ${first}` });
      else {
        firstLegacyIdByHash.set(hash, legacy.id);
        candidates.push({ key: { legacy, hash, start: displayStart(secret) }, owner });
      }
    }
  }

  // Matching on the hash is what makes a second run import nothing.
  const known = new Set(
    (await inChunks(candidates.map((c) => c.key.hash), (chunk) => db.apiKey.findMany({ where: { keyHash: { in: chunk } }, select: { keyHash: true } }))).map(
      (row) => row.keyHash,
    ),
  );
  const owners = new Map<string, PlannedOwner>();
  for (const { key, owner } of candidates) {
    if (known.has(key.hash)) {
      skipped.push({ legacyId: key.legacy.id, reason: "already imported" });
      continue;
    }
    const email = placeholderEmailFor(owner.userId);
    const planned = owners.get(email) ?? { email, legacy: owner, existingUserId: null, keys: [] };
    planned.keys.push(key);
    owners.set(email, planned);
  }
  const existing = await inChunks([...owners.keys()], (chunk) =>
    db.user.findMany({ where: { email: { in: chunk } }, select: { id: true, email: true } }),
  );
  for (const user of existing) owners.get(user.email)!.existingUserId = user.id;
  skipped.sort((a, b) => a.legacyId - b.legacyId);
  return { owners: [...owners.values()], skipped };
}

/** Creates (or reuses) one owner's user and their keys with audit events, in one transaction. */
async function importOwner(owner: PlannedOwner, context: AuditContext) {
  await db.$transaction(async (tx) => {
    let userId = owner.existingUserId;
    if (!userId) {
      const name = [owner.legacy.firstName, owner.legacy.lastName].map((part) => part?.trim()).filter(Boolean).join(" ");
      const user = await tx.user.create({
        data: { email: owner.email, name: name || null, createdAt: owner.legacy.createdAt ?? undefined },
        select: { id: true },
      });
      userId = user.id;
      await writeAuditEvent(tx, "user.created", context, { userId, details: { imported: true, role: "USER", legacyUserId: owner.legacy.userId } });
    }
    for (const key of owner.keys) {
      const created = await tx.apiKey.create({
        data: {
          ownerId: userId,
          name: IMPORTED_KEY_NAME,
          environment: "live",
          scopes: IMPORTED_SCOPES,
          keyHash: key.hash,
          start: key.start,
          legacy: true,
          createdAt: key.legacy.createdAt ?? undefined,
        },
        select: { id: true },
      });
      await writeAuditEvent(tx, "key.created", context, {
        keyId: created.id,
        userId,
        details: { imported: true, legacyId: key.legacy.id, name: IMPORTED_KEY_NAME, environment: "live", scopes: IMPORTED_SCOPES },
      });
    }
  });
}

/**
 * Imports the FastAPI tutorial's users and plaintext keys from a SQLite file or a
 * postgresql:// URL. Only each key's SHA-256 is stored, so the tutorial's clients keep
 * working with the keys they hold. Safe to run again: a key already imported (same
 * hash) is skipped. A tutorial user is brought over only with a key that imports: an
 * account with no key and no password (the tutorial has neither email nor password)
 * could do nothing here. Each owner commits on their own, so a failed run keeps what it
 * did and a rerun completes it. With `dryRun`, it reports what it would do and writes nothing.
 */
export async function importLegacy(
  input: { from: string; dryRun?: boolean },
  context: AuditContext = { actorId: null, ip: null, userAgent: "keyport-import" },
): Promise<ImportLegacySummary> {
  const legacy = await readLegacyDatabase(input.from);
  const { owners, skipped } = await planImport(legacy.users, legacy.keys);
  const summary: ImportLegacySummary = {
    dryRun: Boolean(input.dryRun),
    usersCreated: owners.filter((owner) => !owner.existingUserId).length,
    usersMatched: owners.filter((owner) => owner.existingUserId).length,
    keysImported: owners.reduce((sum, owner) => sum + owner.keys.length, 0),
    keysSkipped: skipped,
  };
  if (input.dryRun || owners.length === 0) return summary;
  try {
    for (const owner of owners) await importOwner(owner, context);
  } finally {
    // A client may have tried its tutorial key before the import: its hash sits in the
    // unknown-key cache of this and every other instance until this clears them.
    invalidate({ kind: "all" });
  }
  return summary;
}
