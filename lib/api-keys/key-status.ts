import { EXPIRING_SOON_MS, type KeyDisplayStatus, keyDisplayStatus, type KeyStateFields } from "./key-policy";

/**
 * How a key stands, as the dashboard, the admin console and the API's `status` show it.
 * The rules are the key policy's (key-policy.ts); this file only names and labels them.
 */
export type KeyStatus = KeyDisplayStatus;
export { EXPIRING_SOON_MS };

export function keyStatus(key: KeyStateFields, now: Date | number = new Date()): KeyStatus {
  return keyDisplayStatus(key, now);
}

export const KEY_STATUS_LABELS: Record<KeyStatus, string> = {
  active: "Active",
  expiring_soon: "Expiring soon",
  in_grace: "In grace",
  expired: "Expired",
  revoked: "Revoked",
};
