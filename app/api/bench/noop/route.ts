// GET /api/bench/noop – the benchmark's ceiling: a route handler that authenticates nothing (KEYPORT_BENCH=1 only)
import { jsonResponse } from "@/lib/api/errors";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { benchOnly } from "../bench-only";

// Decided per request: a build must never bake the 404 (or the answer) into a static file.
export const dynamic = "force-dynamic";

export const GET = benchOnly(async () => jsonResponse({ ok: true }));

// OPTIONS (and the methods scripts/serve.mjs passes on as OPTIONS) answer as GET does: 404 outside a bench.
const notAllowed = methodNotAllowed("GET");
export const OPTIONS = benchOnly(notAllowed.options);
