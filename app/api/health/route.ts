// GET /api/health – liveness for load balancers, and whether the database answers
import { jsonResponse } from "@/lib/api/errors";
import { checkDatabase } from "@/lib/health";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";

export const dynamic = "force-dynamic";

export async function GET() {
  const databaseUp = await checkDatabase();
  return jsonResponse(
    { status: databaseUp ? "ok" : "degraded", database: databaseUp ? "ok" : "unreachable" },
    { status: databaseUp ? 200 : 503 },
  );
}

// Every other method: the JSON 405 (Next's own 405 has an empty body).
const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
export const OPTIONS = notAllowed.options;
