import { db } from "../db";

export interface UsageDay {
  day: string;
  success: number;
  clientError: number;
  rateLimited: number;
}

const DAY_MS = 86_400_000;

/** Daily totals for the last `days` days (UTC), oldest first, zero-filled, for the given keys. */
export async function dailyUsage(keyIds: string[], days = 30, now = new Date()): Promise<UsageDay[]> {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const since = new Date(today - (days - 1) * DAY_MS);
  const rows = keyIds.length
    ? await db.keyUsage.findMany({ where: { keyId: { in: keyIds }, hour: { gte: since } }, select: { hour: true, success: true, clientError: true, rateLimited: true } })
    : [];
  const series = Array.from({ length: days }, (_, i) => ({ day: new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10), success: 0, clientError: 0, rateLimited: 0 }));
  for (const row of rows) {
    const bucket = series[Math.floor((row.hour.getTime() - since.getTime()) / DAY_MS)];
    if (!bucket) continue;
    bucket.success += row.success;
    bucket.clientError += row.clientError;
    bucket.rateLimited += row.rateLimited;
  }
  return series;
}

/** Requests per key in the last 24 hours (hour granularity), for the key table. */
export async function requestsLast24h(keyIds: string[], now = new Date()): Promise<Map<string, number>> {
  if (!keyIds.length) return new Map();
  const since = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 - 23 * 3_600_000);
  const rows = await db.keyUsage.groupBy({
    by: ["keyId"],
    where: { keyId: { in: keyIds }, hour: { gte: since } },
    _sum: { success: true, clientError: true, rateLimited: true },
  });
  return new Map(rows.map((row) => [row.keyId, (row._sum.success ?? 0) + (row._sum.clientError ?? 0) + (row._sum.rateLimited ?? 0)]));
}
