import { z } from "zod";
import { ApiError } from "../api/errors";
import { type AuditContext, writeAuditEvent } from "../audit";
import { db } from "../db";
import { env } from "../env";
import { processSingleton } from "../process-singleton";
import { ApiKeyError } from "../api-keys/errors";
import { hashApiKey, parseApiKey } from "../api-keys/key-format";
import { revokeApiKey } from "../api-keys/revoke-api-key";

/**
 * GitHub's secret-scanning partner payload: a JSON array of matches. Only `token` is
 * required; the rest is recorded as given (GitHub says `url` may be empty). Lengths are
 * bounded by the body limit, not here: a match with a long URL must still revoke its key.
 */
export const leakReportSchema = z.array(
  z.object({
    token: z.string(),
    type: z.string().optional().default(""),
    url: z.string().optional().default(""),
    source: z.string().optional().default(""),
  }),
);
export type LeakReport = z.infer<typeof leakReportSchema>[number];

/** GitHub's false-positive feedback format: the SHA-256 of the token, never the token. */
export interface LeakVerdict {
  token_hash: string;
  token_type: string;
  label: "true_positive" | "false_positive";
}

/** Decodes and parses a verified body: 400 for bytes that are not UTF-8 JSON, 422 (ZodError) for the wrong shape. */
export function parseLeakReport(rawBody: Uint8Array): LeakReport[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(rawBody));
  } catch {
    throw new ApiError("bad_request", 400, "The body is not valid UTF-8 JSON.");
  }
  return leakReportSchema.parse(json);
}

const MAX_URL_LENGTH = 200;

/** "Compromised: found at <url>", the URL cut to fit a table cell and stripped of control characters. */
export function leakRevocationReason(report: Pick<LeakReport, "url" | "source">): string {
  const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim();
  const url = printable(report.url);
  if (!url) return `Compromised: reported by GitHub secret scanning (${printable(report.source).slice(0, 40) || "unknown source"})`;
  return `Compromised: found at ${url.length > MAX_URL_LENGTH ? `${url.slice(0, MAX_URL_LENGTH - 1)}…` : url}`;
}

async function judge(report: LeakReport, hash: string, context: AuditContext): Promise<LeakVerdict["label"]> {
  // Only a token that could be ours is looked up: a checksum-valid key of this prefix, or a legacy key.
  if (!parseApiKey(report.token, env.KEY_PREFIX).ok) return "false_positive";
  const key = await db.apiKey.findUnique({ where: { keyHash: hash }, select: { id: true, ownerId: true, teamId: true, revokedAt: true } });
  if (!key) return "false_positive";
  let revoked = false;
  if (!key.revokedAt) {
    try {
      await revokeApiKey({ keyId: key.id, reason: leakRevocationReason(report), byLeakReport: true }, context);
      revoked = true;
    } catch (error) {
      // Revoked meanwhile (a second report, an admin): the key is stopped either way.
      if (!(error instanceof ApiKeyError && error.code === "invalid_state")) throw error;
    }
  }
  // The revoke writes its own key.revoked event in its transaction; this one records the report,
  // also for a key that was already revoked. The token itself is never written anywhere.
  await writeAuditEvent(db, "key.leak_reported", context, {
    keyId: key.id,
    userId: key.ownerId,
    teamId: key.teamId,
    details: { url: report.url.slice(0, 2_048), source: report.source.slice(0, 64), type: report.type.slice(0, 128), revoked },
  });
  return "true_positive";
}

/**
 * Reports of one token are judged one after another in this process. GitHub may deliver the
 * same report several times at once (retries); judged side by side, every delivery would see
 * the key active and try to revoke it. The revoke is conditional, so only one would win, but
 * the others' transactions would roll back, and on SQLite (one connection, which
 * better-sqlite3's Prisma adapter shares between a transaction and every query outside it)
 * that rollback also takes away what other requests wrote meanwhile, such as the winner's
 * key.leak_reported event. Judged in turn, a second delivery finds the key revoked and writes
 * only its own event. (Deliveries to other instances are kept to one revoke by the
 * conditional update alone.)
 */
const judging = processSingleton("leak-reports-in-flight", () => new Map<string, Promise<unknown>>());

async function judgeInTurn(report: LeakReport, hash: string, context: AuditContext): Promise<LeakVerdict["label"]> {
  const previous = judging.get(hash) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(() => judge(report, hash, context));
  judging.set(hash, current);
  try {
    return await current;
  } finally {
    if (judging.get(hash) === current) judging.delete(hash);
  }
}

/**
 * Handles a verified report: every active key among the tokens is revoked at once (actor
 * null, reason naming where it was found) and audited. Answers one verdict per match, in
 * order; a token reported twice is judged once.
 */
export async function reportLeakedTokens(reports: LeakReport[], context: Omit<AuditContext, "actorId">): Promise<LeakVerdict[]> {
  const labels = new Map<string, LeakVerdict["label"]>();
  const verdicts: LeakVerdict[] = [];
  for (const report of reports) {
    const hash = hashApiKey(report.token);
    let label = labels.get(hash);
    if (!label) {
      label = await judgeInTurn(report, hash, { ...context, actorId: null });
      labels.set(hash, label);
    }
    verdicts.push({ token_hash: hash, token_type: report.type, label });
  }
  return verdicts;
}
