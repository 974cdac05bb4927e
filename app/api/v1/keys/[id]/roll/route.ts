// POST /api/v1/keys/{id}/roll – replace a key with one of the same restrictions; the old one works for the grace given (scope keys:write)
import { callerKeyAccess } from "@/lib/api-keys/key-policy";
import { rollApiKey } from "@/lib/api-keys/roll-api-key";
import { callerKeyScope, keyTargetIn } from "@/lib/api-keys/key-scope";
import { ApiError, jsonResponse } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/read-json-body";
import { RollKeyBody } from "@/lib/api/schemas";
import { toApiKey } from "@/lib/api/serialize";
import { withApiKey } from "@/lib/api/with-api-key";
import { auditContextFrom } from "@/lib/request-context";
import { keyIdSchema } from "@/lib/validations/api-keys";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";

export const POST = withApiKey<{ id: string }>(
  async (request, { key, params }) => {
    const keyId = keyIdSchema.safeParse(params.id);
    if (!keyId.success) throw new ApiError("not_found", 404, "No such key.");
    const body = await readJsonBody(request, RollKeyBody);
    const rolled = await rollApiKey(
      {
        ...keyTargetIn(callerKeyScope(key), keyId.data),
        graceMs: body.graceSeconds * 1000,
        startGraceOnFirstUse: body.startGraceOnFirstUse,
        expiresAt: body.expiresAt,
        callerKey: callerKeyAccess(key),
        // "billing (rolled 2026-12-04)", as the dashboard names it: never two keys with one name.
        nameAsRolled: true,
      },
      auditContextFrom(request.headers, key.owner.id),
    );
    return jsonResponse({ key: toApiKey(rolled.key), secret: rolled.secret, oldKeyGraceEndsAt: rolled.graceEndsAt?.toISOString() ?? null }, { status: 201 });
  },
  { scopes: ["keys:write"] },
);

// Every other method: the JSON 405 (Next's own 405 has an empty body).
const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
export const OPTIONS = notAllowed.options;
