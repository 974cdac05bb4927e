// GET    /api/v1/keys/{id} – one of the caller's keys (scope keys:read)
// PATCH  /api/v1/keys/{id} – change its name, scopes or expiry (scope keys:write)
// DELETE /api/v1/keys/{id} – revoke it (scope keys:write)
import { callerKeyAccess } from "@/lib/api-keys/key-policy";
import { findKeyIn } from "@/lib/api-keys/find-owner-keys";
import { callerKeyScope, keyTargetIn } from "@/lib/api-keys/key-scope";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { updateApiKey } from "@/lib/api-keys/update-api-key";
import { ApiError, jsonResponse } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/read-json-body";
import { UpdateKeyBody } from "@/lib/api/schemas";
import { toApiKey } from "@/lib/api/serialize";
import { withApiKey } from "@/lib/api/with-api-key";
import { auditContextFrom } from "@/lib/request-context";
import { keyIdSchema } from "@/lib/validations/api-keys";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";

type Params = { id: string };

/** Another owner's key id answers exactly like one that does not exist. */
function keyIdOf(params: Params) {
  const id = keyIdSchema.safeParse(params.id);
  if (!id.success) throw new ApiError("not_found", 404, "No such key.");
  return id.data;
}

export const GET = withApiKey<Params>(
  async (_request, { key, params }) => {
    const found = await findKeyIn(callerKeyScope(key), keyIdOf(params));
    if (!found) throw new ApiError("not_found", 404, "No such key.");
    return jsonResponse(toApiKey(found));
  },
  { scopes: ["keys:read"] },
);

export const PATCH = withApiKey<Params>(
  async (request, { key, params }) => {
    const keyId = keyIdOf(params);
    const body = await readJsonBody(request, UpdateKeyBody);
    const updated = await updateApiKey({ ...keyTargetIn(callerKeyScope(key), keyId), ...body, callerKey: callerKeyAccess(key) }, auditContextFrom(request.headers, key.owner.id));
    return jsonResponse(toApiKey(updated));
  },
  { scopes: ["keys:write"] },
);

export const DELETE = withApiKey<Params>(
  async (request, { key, params }) => {
    const revoked = await revokeApiKey(
      { ...keyTargetIn(callerKeyScope(key), keyIdOf(params)), reason: "Revoked through the API" },
      auditContextFrom(request.headers, key.owner.id),
    );
    return jsonResponse(toApiKey(revoked));
  },
  { scopes: ["keys:write"] },
);

// Every other method: the JSON 405 (Next's own 405 has an empty body).
const notAllowed = methodNotAllowed("GET", "PATCH", "DELETE");
export { notAllowed as POST, notAllowed as PUT };
export const OPTIONS = notAllowed.options;
