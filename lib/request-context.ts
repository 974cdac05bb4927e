import type { AuditContext } from "./audit";

/**
 * The caller's IP: the last X-Forwarded-For entry. scripts/serve.mjs drops any client-sent
 * X-Forwarded-For unless TRUST_PROXY is set, so Next fills it from the socket; with
 * TRUST_PROXY, the last entry is the one the proxy in front of us appended, the only one
 * a client cannot forge (earlier entries are whatever the client claimed).
 */
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for");
  if (!forwarded) return null;
  const entries = forwarded.split(",").map((entry) => entry.trim()).filter(Boolean);
  return entries[entries.length - 1]?.slice(0, 64) ?? null;
}

/** Audit context from request headers: who (given), from where, with what. */
export function auditContextFrom(headers: Headers, actorId: string | null): AuditContext {
  return { actorId, ip: clientIp(headers), userAgent: headers.get("user-agent")?.slice(0, 512) ?? null };
}
