// GET /api/bench/tutorial – the seed tutorial's verification, for comparison only (KEYPORT_BENCH=1 only):
// read the stored bcrypt hash, then bcrypt-compare the presented Bearer token against it on every request.
import bcrypt from "bcrypt";
import { ApiError, errorResponse, jsonResponse } from "@/lib/api/errors";
import { readPresentedKey } from "@/lib/api/read-presented-key";
import { db } from "@/lib/db";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { benchOnly } from "../bench-only";
import { TUTORIAL_USER_EMAIL } from "../tutorial-user";

export const dynamic = "force-dynamic";

export const GET = benchOnly(async (request) => {
  const presented = readPresentedKey(request.headers);
  // The tutorial looks its row up and then runs passlib's bcrypt verify (cost 12) every time.
  const row = await db.user.findUnique({ where: { email: TUTORIAL_USER_EMAIL }, select: { id: true, passwordHash: true } });
  if (typeof presented !== "string" || !row?.passwordHash || !(await bcrypt.compare(presented, row.passwordHash))) {
    return errorResponse(new ApiError("unknown_key", 401, "The API key is not recognised."));
  }
  return jsonResponse({ ok: true, user: row.id });
});

// OPTIONS (and the methods scripts/serve.mjs passes on as OPTIONS) answer as GET does: 404 outside a bench.
const notAllowed = methodNotAllowed("GET");
export const OPTIONS = benchOnly(notAllowed.options);
