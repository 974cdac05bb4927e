// GET /api/v1/openapi.json – the OpenAPI 3.1 document of /api/v1 (public, no key needed)
import { jsonResponse } from "@/lib/api/errors";
import { openApiDocument, publicOrigin } from "@/lib/api/openapi";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";

export function GET(request: Request) {
  // `servers` is where clients reach the portal (NEXTAUTH_URL, else the Host they used), never
  // the address the server binds (request.url is http://0.0.0.0:3000/… behind scripts/serve.mjs).
  return jsonResponse(openApiDocument(publicOrigin(request.headers, new URL(request.url).origin)));
}

// Every other method: the JSON 405 (Next's own 405 has an empty body).
const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
export const OPTIONS = notAllowed.options;
