"use client";

import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { KeyScopeField } from "./key-scope";
import { type KeyActionState, setKeyExpiry, setKeyScopes } from "../actions";
import type { ScopeOption } from "./create-key-dialog";
import { ExpiryFields } from "./key-actions";

const toastSuccess = (result: KeyActionState) => {
  if (result.ok && result.message) toast.success(result.message);
};

/**
 * Narrow or widen a key's scopes. The key policy (updateApiKey) decides what may be held;
 * its refusal is shown next to the checkboxes.
 */
export function ScopesForm({ keyId, scopes, options }: { keyId: string; scopes: string[]; options: ScopeOption[] }) {
  const { state, onSubmit, pending } = useActionForm<KeyActionState>(setKeyScopes, { ok: false }, toastSuccess);
  // A scope the key holds but the form would not offer (an admin-only one after a demotion) stays listed.
  const names = [...options.map((option) => option.name), ...scopes.filter((scope) => !options.some((option) => option.name === scope))];
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-2" aria-label="Scopes">
      <input type="hidden" name="keyId" value={keyId} />
      <KeyScopeField />
      <fieldset>
        <legend className="text-sm font-medium">Scopes</legend>
        <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
          {names.map((name) => (
            <label key={name} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="scopes" value={name} defaultChecked={scopes.includes(name)} className="accent-indigo-600" />
              <code className="font-mono text-xs">{name}</code>
            </label>
          ))}
        </div>
        <FieldError id="field-scopes-error" errors={state.errors?.scopes ?? (!state.ok && state.message ? [state.message] : undefined)} />
      </fieldset>
      <div className="flex justify-end">
        <Button type="submit" size="sm" variant="secondary" pending={pending}>
          Save scopes
        </Button>
      </div>
    </form>
  );
}

/** Extend or shorten a key's expiry, or remove it; the key policy judges the date. */
export function ExpiryForm({ keyId }: { keyId: string }) {
  const { state, onSubmit, pending } = useActionForm<KeyActionState>(setKeyExpiry, { ok: false }, toastSuccess);
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-2" aria-label="Expiry">
      <input type="hidden" name="keyId" value={keyId} />
      <KeyScopeField />
      <ExpiryFields label="Change the expiry" defaultValue="30" errors={state.errors} />
      {!state.errors && <FieldError errors={!state.ok && state.message ? [state.message] : undefined} />}
      <div className="flex justify-end">
        <Button type="submit" size="sm" variant="secondary" pending={pending}>
          Save expiry
        </Button>
      </div>
    </form>
  );
}
