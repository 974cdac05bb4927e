import { env } from "./env";
import type { AuditContext } from "./audit";

/**
 * The caller's IP. Next fills X-Forwarded-For from the socket only when the request has
 * none, so without TRUST_PROXY we take the last entry (the one nearest to us) and with it
 * the first (the client as the trusted proxy reported it).
 */
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for");
  if (!forwarded) return null;
  const entries = forwarded.split(",").map((entry) => entry.trim()).filter(Boolean);
  const ip = env.TRUST_PROXY ? entries[0] : entries[entries.length - 1];
  return ip?.slice(0, 64) ?? null;
}

/** Audit context from request headers: who (given), from where, with what. */
export function auditContextFrom(headers: Headers, actorId: string | null): AuditContext {
  return { actorId, ip: clientIp(headers), userAgent: headers.get("user-agent")?.slice(0, 512) ?? null };
}
