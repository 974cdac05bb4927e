// GET /api/health – liveness for load balancers, and whether the database answers
import { jsonResponse } from "@/lib/api/errors";
import { checkDatabase } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const databaseUp = await checkDatabase();
  return jsonResponse(
    { status: databaseUp ? "ok" : "degraded", database: databaseUp ? "ok" : "unreachable" },
    { status: databaseUp ? 200 : 503 },
  );
}
