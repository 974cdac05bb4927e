// POST /api/v1/leaks – GitHub secret scanning reports leaked keys; every active one is revoked at once
// The one /api/v1 route outside the key guard: its caller is GitHub, proven by an ECDSA P-256
// signature over the raw body with a key from LEAKS_PUBLIC_KEYS. With none configured, every
// method answers the same 404 as an unknown path.
import { ApiError, errorResponse, jsonResponse } from "@/lib/api/errors";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { startInvalidationBroadcast } from "@/lib/api-keys/invalidation-broadcast";
import { env } from "@/lib/env";
import { readLimitedBody } from "@/lib/api/read-limited-body";
import { parseLeakReport, reportLeakedTokens } from "@/lib/leaks/report-leaked-tokens";
import { verifyLeakSignature } from "@/lib/leaks/verify-leak-signature";
import { auditContextFrom } from "@/lib/request-context";

/** GitHub batches matches; 1 MiB holds thousands of them. */
const MAX_BODY_BYTES = 1_048_576;

function unlessConfigured(request: Request) {
  if (env.LEAKS_PUBLIC_KEYS.size > 0) return;
  throw new ApiError("not_found", 404, `No API route matches ${new URL(request.url).pathname.slice(0, 200)}.`);
}

const invalidSignature = () =>
  new ApiError("invalid_signature", 401, "The report is not signed by a configured GitHub secret-scanning key.", {
    "WWW-Authenticate": 'Signature realm="keyport"',
  });

export async function POST(request: Request) {
  startInvalidationBroadcast();
  try {
    unlessConfigured(request);
    const keyIdentifier = request.headers.get("github-public-key-identifier");
    const signature = request.headers.get("github-public-key-signature");
    if (!keyIdentifier || !signature) throw invalidSignature();
    const rawBody = await readLimitedBody(request, MAX_BODY_BYTES);
    if (!verifyLeakSignature(rawBody, keyIdentifier, signature, env.LEAKS_PUBLIC_KEYS)) throw invalidSignature();
    const verdicts = await reportLeakedTokens(parseLeakReport(rawBody), auditContextFrom(request.headers, null));
    return jsonResponse(verdicts);
  } catch (error) {
    return errorResponse(error);
  }
}

const postOnly = methodNotAllowed("POST");

async function otherMethods(request: Request) {
  try {
    unlessConfigured(request);
  } catch (error) {
    return errorResponse(error);
  }
  return postOnly();
}

async function options(request: Request) {
  try {
    unlessConfigured(request);
  } catch (error) {
    return errorResponse(error);
  }
  return postOnly.options(request);
}

export { otherMethods as GET, otherMethods as PUT, otherMethods as PATCH, otherMethods as DELETE, options as OPTIONS };
