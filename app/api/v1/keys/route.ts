// GET  /api/v1/keys – the caller's keys, newest first, cursor-paginated (scope keys:read); a team key's: its team's
// POST /api/v1/keys – create a key (a team key creates one for its team); the secret is in this response only (scope keys:write)
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { callerKeyAccess } from "@/lib/api-keys/key-policy";
import { listKeysPageIn, UnknownCursorError } from "@/lib/api-keys/find-owner-keys";
import { callerKeyScope } from "@/lib/api-keys/key-scope";
import { ApiError, jsonResponse } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/read-json-body";
import { CreateKeyBody, ListKeysQuery } from "@/lib/api/schemas";
import { toApiKey } from "@/lib/api/serialize";
import { withApiKey } from "@/lib/api/with-api-key";
import { auditContextFrom } from "@/lib/request-context";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";

export const GET = withApiKey(
  async (request, { key }) => {
    const query = ListKeysQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
    const page = await listKeysPageIn(callerKeyScope(key), query).catch((error: unknown) => {
      // A cursor that names no key of this owner (none, or another owner's) is a bad request.
      if (error instanceof UnknownCursorError) throw new ApiError("bad_request", 400, "Unknown cursor.");
      throw error;
    });
    return jsonResponse({ items: page.items.map(toApiKey), nextCursor: page.nextCursor });
  },
  { scopes: ["keys:read"] },
);

export const POST = withApiKey(
  async (request, { key }) => {
    const body = await readJsonBody(request, CreateKeyBody);
    const created = await createApiKey(
      {
        // A team key creates a key for its team, recorded as made by its own creator, who
        // must still be a member whose role may create keys (createApiKey checks it now).
        ownerId: key.owner.id,
        teamId: key.team?.id,
        name: body.name,
        environment: body.environment,
        scopes: body.scopes,
        expiresAt: body.expiresAt ?? null,
        ipAllowlist: body.ipAllowlist,
        callerKey: callerKeyAccess(key),
      },
      auditContextFrom(request.headers, key.owner.id),
    );
    return jsonResponse({ key: toApiKey(created.key), secret: created.secret }, { status: 201 });
  },
  { scopes: ["keys:write"] },
);

// Every other method: the JSON 405 (Next's own 405 has an empty body).
const notAllowed = methodNotAllowed("GET", "POST");
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
export const OPTIONS = notAllowed.options;
