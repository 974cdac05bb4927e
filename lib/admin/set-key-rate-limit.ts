import type { AuditContext } from "../audit";
import { changeKey } from "../api-keys/change-key";
import { ApiKeyError } from "../api-keys/errors";
import { AdminError } from "./errors";

/**
 * Sets a key's own requests-a-minute limit, or clears it (null) so the default applies.
 * Admin only: a developer cannot raise their own limit. The limit travels in the cached
 * snapshot, so changeKey drops it everywhere and the new one applies now.
 */
export async function setKeyRateLimit(input: { keyId: string; limit: number | null }, context: AuditContext) {
  if (input.limit !== null && (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > 10_000_000)) {
    throw new AdminError("invalid_input", "A limit is a whole number of requests a minute, from 1 to 10,000,000.", {
      limit: ["Use a whole number from 1 to 10,000,000, or leave it empty for the default."],
    });
  }
  try {
    return await changeKey({ keyId: input.keyId }, context, async (tx, existing) => ({
      result: await tx.apiKey.update({ where: { id: existing.id }, data: { rateLimitPerMinute: input.limit }, select: { id: true, name: true, rateLimitPerMinute: true } }),
      audit: { action: "key.rate_limit_changed", details: { from: existing.rateLimitPerMinute, to: input.limit } },
    }));
  } catch (error) {
    if (error instanceof ApiKeyError && error.code === "not_found") throw new AdminError("not_found", "No such key.");
    throw error;
  }
}
