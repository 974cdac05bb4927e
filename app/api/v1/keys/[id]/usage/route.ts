// GET /api/v1/keys/{id}/usage – requests per day for the last 30 days, by outcome (scope keys:read)
import { findKeyIn } from "@/lib/api-keys/find-owner-keys";
import { callerKeyScope } from "@/lib/api-keys/key-scope";
import { ApiError, jsonResponse } from "@/lib/api/errors";
import { withApiKey } from "@/lib/api/with-api-key";
import { dailyUsage } from "@/lib/usage/read-usage";
import { keyIdSchema } from "@/lib/validations/api-keys";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";

export const GET = withApiKey<{ id: string }>(
  async (_request, { key, params }) => {
    const keyId = keyIdSchema.safeParse(params.id);
    const found = keyId.success ? await findKeyIn(callerKeyScope(key), keyId.data) : null;
    if (!found) throw new ApiError("not_found", 404, "No such key.");
    return jsonResponse({ keyId: found.id, days: await dailyUsage([found.id]) });
  },
  { scopes: ["keys:read"] },
);

// Every other method: the JSON 405 (Next's own 405 has an empty body).
const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
export const OPTIONS = notAllowed.options;
