// The latency POST /api/v1/verify adds to a request of a backend protected by Keyport, as the
// TypeScript client (clients/typescript) sees it: one verifyKey after another from this
// process to the production server, without the client's cache and with it (a hit never
// leaves the process). The server's own key cache is on, as in production.
import { Keyport } from "../clients/typescript/src/index";

export interface ClientVerifyFigures {
  mode: "no client cache" | "client cache (hit)";
  calls: number;
  callsPerSecond: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
}

/** Sequential verifyKey calls for `seconds`, each timed alone, after an untimed warm-up. */
async function timeCalls(keyport: Keyport, key: string, seconds: number, mode: ClientVerifyFigures["mode"]): Promise<ClientVerifyFigures> {
  for (let i = 0; i < 50; i++) await keyport.verifyKey({ key, scopes: ["me:read"] });
  const samples: number[] = [];
  const deadline = process.hrtime.bigint() + BigInt(seconds * 1e9);
  let now = process.hrtime.bigint();
  while (now < deadline) {
    const start = now;
    const verdict = await keyport.verifyKey({ key, scopes: ["me:read"] });
    now = process.hrtime.bigint();
    if (verdict.code !== "VALID") throw new Error(`the bench key was not VALID but ${verdict.code}`);
    samples.push(Number(now - start) / 1_000);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return { mode, calls: samples.length, callsPerSecond: 1e6 / mean, p50Us: percentile(sorted, 0.5), p99Us: percentile(sorted, 0.99), maxUs: sorted[sorted.length - 1] };
}

/** Both modes against one server: `serviceKey` holds `verify`, `key` is the caller's key. */
export async function measureClientVerify(url: string, serviceKey: string, key: string, seconds: number): Promise<ClientVerifyFigures[]> {
  const uncached = new Keyport({ baseUrl: url, apiKey: serviceKey });
  const cached = new Keyport({ baseUrl: url, apiKey: serviceKey, cache: { ttlMs: 60_000 } });
  return [await timeCalls(uncached, key, seconds, "no client cache"), await timeCalls(cached, key, seconds, "client cache (hit)")];
}
