"use client";

import { createContext, useContext, useEffect, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, useResettableDialog } from "@/components/ui/dialog";
import { Field, FieldError, SelectField } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { isSessionEnded, SessionEndedNotice } from "@/components/session-ended-notice";
import { createKey, type KeyActionState } from "../actions";
import { KeyScopeField } from "./key-scope";
import { SecretReveal } from "./secret-reveal";

export interface ScopeOption {
  name: string;
  description: string;
  preselected: boolean;
}

const EXPIRY_OPTIONS = [
  { value: "never", label: "Never" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "date", label: "On a date…" },
];

function CreateKeyForm({ scopes, apiOrigin, onDone }: { scopes: ScopeOption[]; apiOrigin: string; onDone: () => void }) {
  const { state, onSubmit, pending } = useActionForm<KeyActionState>(createKey, { ok: false });
  const [expiry, setExpiry] = useState("never");

  useEffect(() => {
    if (state.ok && state.message) toast.success(state.message);
  }, [state]);

  if (state.ok && state.secret) {
    return <SecretReveal secret={state.secret} apiOrigin={apiOrigin} onDone={onDone} />;
  }

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-5">
      <KeyScopeField />
      <Field label="Name" name="name" required maxLength={64} autoFocus errors={state.errors?.name} hint="What uses this key, e.g. “billing worker”." />

      <fieldset>
        <legend className="text-sm font-medium">Environment</legend>
        <div className="mt-2 grid grid-cols-2 gap-2">
          {(["test", "live"] as const).map((environment) => (
            <label key={environment} className="flex cursor-pointer items-center gap-2 rounded-md border border-zinc-300 px-3 py-2 text-sm has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50 dark:border-zinc-700 dark:has-[:checked]:bg-indigo-500/10">
              <input type="radio" name="environment" value={environment} defaultChecked={environment === "test"} className="accent-indigo-600" />
              <span className="font-medium capitalize">{environment}</span>
            </label>
          ))}
        </div>
        <FieldError errors={state.errors?.environment} />
      </fieldset>

      <fieldset>
        <legend className="text-sm font-medium">Scopes</legend>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">Grant only what the caller needs.</p>
        <div className="mt-2 space-y-2">
          {scopes.map((scope) => (
            <label key={scope.name} className="flex cursor-pointer items-start gap-2 text-sm">
              <input type="checkbox" name="scopes" value={scope.name} defaultChecked={scope.preselected} className="mt-0.5 accent-indigo-600" />
              <span>
                <code className="font-mono text-xs">{scope.name}</code>
                <span className="block text-zinc-500 dark:text-zinc-400">{scope.description}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldError errors={state.errors?.scopes} />
      </fieldset>

      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Expires" name="expiry" value={expiry} onChange={(event) => setExpiry(event.target.value)} options={EXPIRY_OPTIONS} errors={state.errors?.expiry} />
        {expiry === "date" && <Field label="Expiry date" name="expiresOn" type="date" required errors={state.errors?.expiresOn} />}
      </div>

      {isSessionEnded(state) ? <SessionEndedNotice /> : <FieldError errors={state.message ? [state.message] : undefined} />}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" pending={pending}>
          Create key
        </Button>
      </div>
    </form>
  );
}

const CreateKeyContext = createContext<(() => void) | null>(null);

/**
 * Holds the one create-key dialog at a fixed place in the tree. The page re-renders when
 * the first key appears (the empty state gives way to the table); keeping the dialog
 * here means that re-render cannot unmount it while it shows the secret.
 * Closing remounts the form, which drops the secret.
 */
export function CreateKeyProvider({ scopes, apiOrigin, children }: { scopes: ScopeOption[]; apiOrigin: string; children: React.ReactNode }) {
  const dialog = useResettableDialog();
  return (
    <CreateKeyContext.Provider value={() => dialog.show(true)}>
      {children}
      <Dialog
        open={dialog.open}
        onClose={dialog.close}
        title="Create an API key"
        description="The secret is shown once, right after it is created."
        returnFocus={createButton}
      >
        <CreateKeyForm key={dialog.generation} scopes={scopes} apiOrigin={apiOrigin} onDone={dialog.close} />
      </Dialog>
    </CreateKeyContext.Provider>
  );
}

/** The first key replaces the empty state's button with the header's: focus goes there after the reveal. */
function createButton() {
  return document.querySelector<HTMLElement>("[data-create-key]");
}

export function CreateKeyButton({ label = "Create key" }: { label?: string }) {
  const openDialog = useContext(CreateKeyContext);
  return (
    <Button data-create-key onClick={() => openDialog?.()}>
      {label}
    </Button>
  );
}
