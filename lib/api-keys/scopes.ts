/** Every scope /api/v1 knows, with what it allows. */
export const SCOPES = {
  "me:read": "Read the identity of the calling key and its owner",
  "keys:read": "List and read your API keys",
  "keys:write": "Create, rename, roll and revoke your API keys",
  verify: "Verify other keys through POST /api/v1/verify (service keys; only an admin can grant it)",
} as const;

/** Scopes only an admin may put on a key. */
export const ADMIN_ONLY_SCOPES: readonly string[] = ["verify"];

export type Scope = keyof typeof SCOPES;
export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];
/** Least privilege: what a new key gets unless more is asked for. */
export const DEFAULT_SCOPES: Scope[] = ["me:read"];

export function isScope(value: string): value is Scope {
  return Object.hasOwn(SCOPES, value);
}

/** Scopes are stored as one space-separated string so SQLite and PostgreSQL share a column type. */
export function serializeScopes(scopes: readonly string[]): string {
  return [...new Set(scopes)].sort().join(" ");
}

export function parseScopes(stored: string): string[] {
  return stored.split(" ").filter(Boolean);
}
