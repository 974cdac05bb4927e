// DELETE /api/v1/keys/{id} – revoke one of the caller's own keys (scope keys:write)
import { ApiError, jsonResponse } from "@/lib/api/errors";
import { withApiKey } from "@/lib/api/with-api-key";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { auditContextFrom } from "@/lib/request-context";
import { keyIdSchema } from "@/lib/validations/api-keys";

export const DELETE = withApiKey<{ id: string }>(
  async (request, { key, params }) => {
    const id = keyIdSchema.safeParse(params.id);
    // Another owner's key id answers exactly like one that does not exist.
    if (!id.success) throw new ApiError("not_found", 404, "No such key.");
    const revoked = await revokeApiKey(
      { keyId: id.data, ownerId: key.owner.id, reason: "Revoked through the API" },
      auditContextFrom(request.headers, key.owner.id),
    );
    return jsonResponse({ id: revoked.id, revokedAt: revoked.revokedAt?.toISOString() ?? null });
  },
  { scopes: ["keys:write"] },
);
