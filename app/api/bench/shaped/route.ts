// GET /api/bench/shaped – the ceiling with /api/v1/me's response (KEYPORT_BENCH=1 only): the same body,
// serializer and RateLimit headers, built the same way, but no key is read, verified or counted.
// Between /api/bench/noop and this route lies the response's cost; between this and /me, the guard's.
import { jsonResponse } from "@/lib/api/errors";
import { toPublicKey } from "@/lib/api/serialize";
import type { KeySnapshot } from "@/lib/api-keys/verification-cache";
import { rateLimitHeaders } from "@/lib/rate-limit/key-rate-limit";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { benchOnly } from "../bench-only";

export const dynamic = "force-dynamic";

// A fixed key of the bench's shape; only the fields /me's body reads are filled in.
const key = {
  id: "cmbenchshapedkey000000000",
  name: "bench key",
  start: "kp_live_Ab3x",
  environment: "live",
  scopes: ["me:read"],
  createdAt: Date.now(),
  expiresAt: null,
  owner: { id: "cmbenchshapedowner0000000", email: "hot-00000000-0000-0000-0000-000000000000@bench.keyport.invalid", name: "bench hot", disabled: false },
} as KeySnapshot;

export const GET = benchOnly(async () => {
  const response = jsonResponse({ owner: { id: key.owner.id, email: key.owner.email, name: key.owner.name }, key: toPublicKey(key) });
  const limit = rateLimitHeaders({ allowed: true, limit: 10_000_000, remaining: 9_999_999, resetSeconds: 60 });
  for (const [name, value] of Object.entries(limit)) response.headers.set(name, value);
  return response;
});

// OPTIONS (and the methods scripts/serve.mjs passes on as OPTIONS) answer as GET does: 404 outside a bench.
const notAllowed = methodNotAllowed("GET");
export const OPTIONS = benchOnly(notAllowed.options);
