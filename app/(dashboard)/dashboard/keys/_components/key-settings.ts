import { ADMIN_ONLY_SCOPES, DEFAULT_SCOPES, SCOPES } from "@/lib/api-keys/scopes";
import { env } from "@/lib/env";
import { describeDuration } from "@/lib/validations/durations";
import type { ScopeOption } from "./create-key-dialog";

/** What the create and roll dialogs offer, from the scope list and the configured grace choices. */
export function scopeOptions(isAdmin: boolean): ScopeOption[] {
  return Object.entries(SCOPES)
    .filter(([name]) => isAdmin || !ADMIN_ONLY_SCOPES.includes(name))
    .map(([name, description]) => ({
    name,
    description,
    preselected: (DEFAULT_SCOPES as string[]).includes(name),
  }));
}

export function graceChoices() {
  return env.ROLL_GRACE_CHOICES.map((ms) => ({ ms, label: describeDuration(ms) }));
}
