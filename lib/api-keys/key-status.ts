/** How a key stands, as the dashboard and the admin console show it. */
export type KeyStatus = "active" | "expiring_soon" | "in_grace" | "expired" | "revoked";

/** A key within this long of its expiry is "expiring soon". */
export const EXPIRING_SOON_MS = 7 * 24 * 60 * 60 * 1000;

export interface KeyStatusFields {
  revokedAt: Date | null;
  expiresAt: Date | null;
  graceEndsAt: Date | null;
}

export function keyStatus(key: KeyStatusFields, now = new Date()): KeyStatus {
  const at = now.getTime();
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= at) return "expired";
  if (key.graceEndsAt) return key.graceEndsAt.getTime() <= at ? "expired" : "in_grace";
  if (key.expiresAt && key.expiresAt.getTime() - at <= EXPIRING_SOON_MS) return "expiring_soon";
  return "active";
}

export const KEY_STATUS_LABELS: Record<KeyStatus, string> = {
  active: "Active",
  expiring_soon: "Expiring soon",
  in_grace: "In grace",
  expired: "Expired",
  revoked: "Revoked",
};
