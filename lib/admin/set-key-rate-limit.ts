import { type AuditContext, writeAuditEvent } from "../audit";
import { invalidate } from "../api-keys/key-events";
import { db } from "../db";
import { AdminError } from "./errors";

/**
 * Sets a key's own requests-a-minute limit, or clears it (null) so the default applies.
 * Admin only: a developer cannot raise their own limit.
 */
export async function setKeyRateLimit(input: { keyId: string; limit: number | null }, context: AuditContext) {
  if (input.limit !== null && (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > 10_000_000)) {
    throw new AdminError("invalid_input", "A limit is a whole number of requests a minute, from 1 to 10,000,000.", {
      limit: ["Use a whole number from 1 to 10,000,000, or leave it empty for the default."],
    });
  }
  const key = await db.$transaction(async (tx) => {
    const existing = await tx.apiKey.findUnique({ where: { id: input.keyId }, select: { id: true, ownerId: true, rateLimitPerMinute: true } });
    if (!existing) throw new AdminError("not_found", "No such key.");
    const updated = await tx.apiKey.update({ where: { id: existing.id }, data: { rateLimitPerMinute: input.limit }, select: { id: true, name: true, rateLimitPerMinute: true } });
    await writeAuditEvent(tx, "key.rate_limit_changed", context, {
      keyId: existing.id,
      userId: existing.ownerId,
      details: { from: existing.rateLimitPerMinute, to: input.limit },
    });
    return updated;
  });
  // The limit travels in the cached snapshot: drop it everywhere so the new one applies now.
  invalidate({ kind: "key", id: key.id });
  return key;
}
