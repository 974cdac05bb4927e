// GET /api/v1/me – the calling key, its owner, its team (null for a personal key) and who created it
import { jsonResponse } from "@/lib/api/errors";
import { withApiKey } from "@/lib/api/with-api-key";
import { toCreatedBy, toKeyTeam, toPublicKey } from "@/lib/api/serialize";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";

export const GET = withApiKey(
  async (_request, { key }) =>
    jsonResponse({
      owner: { id: key.owner.id, email: key.owner.email, name: key.owner.name },
      key: toPublicKey(key),
      team: toKeyTeam(key),
      createdBy: toCreatedBy(key),
    }),
  { scopes: ["me:read"] },
);

// Every other method: the JSON 405 (Next's own 405 has an empty body).
const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
export const OPTIONS = notAllowed.options;
