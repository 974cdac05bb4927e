"use client";

import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, useResettableDialog } from "@/components/ui/dialog";
import { Field, SelectField } from "@/components/ui/field";
import { MenuButton, type MenuItem } from "@/components/ui/menu";
import { useActionForm } from "@/components/ui/use-action-form";
import { type KeyActionState, renameKey, revokeKey, rollKey } from "../actions";
import { keyHref } from "./key-scope-paths";
import { KeyScopeField, useKeyScope } from "./key-scope";
import { SecretReveal } from "./secret-reveal";

type Mode = "rename" | "roll" | "revoke" | null;

export interface KeyActionsProps {
  keyId: string;
  keyName: string;
  /** Roll and revoke apply only to keys that still work. */
  canChange: boolean;
  canRoll: boolean;
  graceChoices: { ms: number; label: string }[];
  apiOrigin: string;
  /**
   * Whether the caller's role lets them change this key (lib/teams decides; always true for
   * one's own personal keys). False leaves only "View details": hiding is a courtesy, the
   * actions refuse it anyway.
   */
  canManage?: boolean;
}

function useToastOnSuccess(state: KeyActionState, onSuccess?: () => void) {
  useEffect(() => {
    if (state.ok && state.message) {
      toast.success(state.message);
      onSuccess?.();
    } else if (!state.ok && state.message && !state.errors) {
      toast.error(state.message);
    }
    // onSuccess is recreated every render; the state object alone marks a new result.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);
}

function RenameForm({ keyId, keyName, onDone }: { keyId: string; keyName: string; onDone: () => void }) {
  const { state, onSubmit, pending } = useActionForm<KeyActionState>(renameKey, { ok: false });
  useToastOnSuccess(state, onDone);
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      <input type="hidden" name="keyId" value={keyId} />
      <KeyScopeField />
      <Field label="Name" name="name" defaultValue={keyName} required maxLength={64} autoFocus errors={state.errors?.name} />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" pending={pending}>
          Save
        </Button>
      </div>
    </form>
  );
}

function RevokeForm({ keyId, keyName, onDone }: { keyId: string; keyName: string; onDone: () => void }) {
  // Toasted as soon as the action answers: the default view hides revoked keys, so this row
  // (and this form) is gone once the page refreshes, before an effect would run.
  const { state, onSubmit, pending } = useActionForm<KeyActionState>(revokeKey, { ok: false }, (result) => {
    if (result.ok && result.message) toast.success(result.message);
    else if (!result.ok && result.message) toast.error(result.message);
  });
  useEffect(() => {
    if (state.ok) onDone();
    // onDone is recreated every render; the state object alone marks a new result.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4">
      <input type="hidden" name="keyId" value={keyId} />
      <KeyScopeField />
      <p className="text-sm">
        Requests with <strong>{keyName}</strong> will be refused from the next one on. This cannot be undone.
      </p>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone} autoFocus>
          Cancel
        </Button>
        <Button type="submit" variant="danger" pending={pending}>
          Revoke key
        </Button>
      </div>
    </form>
  );
}

function RollForm({ keyId, graceChoices, apiOrigin, onDone }: { keyId: string; graceChoices: KeyActionsProps["graceChoices"]; apiOrigin: string; onDone: () => void }) {
  const { state, onSubmit, pending } = useActionForm<KeyActionState>(rollKey, { ok: false });
  useToastOnSuccess(state);
  if (state.ok && state.secret) {
    return <SecretReveal secret={state.secret} apiOrigin={apiOrigin} onDone={onDone} />;
  }
  const defaultGrace = graceChoices.find((choice) => choice.ms === 86_400_000)?.ms ?? graceChoices[0]?.ms;
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      <input type="hidden" name="keyId" value={keyId} />
      <KeyScopeField />
      <p className="text-sm">
        A new key with the same scopes replaces this one, named with today&apos;s date (“… (rolled YYYY-MM-DD)”). Keep the old one working while you deploy the new one:
      </p>
      <SelectField
        label="Old key keeps working for"
        name="graceMs"
        defaultValue={defaultGrace}
        options={graceChoices.map((choice) => ({ value: choice.ms, label: choice.label }))}
        errors={state.errors?.graceMs}
      />
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="startGraceOnFirstUse" className="mt-0.5 accent-indigo-600" />
        <span>
          Start that grace only when the new key is first used
          <span className="block text-xs text-zinc-500 dark:text-zinc-400">The old key is never cut off before its replacement is live.</span>
        </span>
      </label>
      <ExpiryFields label="New key expires" defaultValue="keep" errors={state.errors} withKeep />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" pending={pending}>
          Roll key
        </Button>
      </div>
    </form>
  );
}

export const EXPIRY_OPTIONS = [
  { value: "never", label: "Never" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "date", label: "On a date…" },
];

/** The expiry select (presets or a date), with "keep the current expiry" first when offered. */
export function ExpiryFields({ label, defaultValue, errors, withKeep = false }: { label: string; defaultValue: string; errors?: Record<string, string[] | undefined>; withKeep?: boolean }) {
  const [expiry, setExpiry] = useState(defaultValue);
  const options = withKeep ? [{ value: "keep", label: "Same as the old key" }, ...EXPIRY_OPTIONS] : EXPIRY_OPTIONS;
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <SelectField label={label} name="expiry" value={expiry} onChange={(event) => setExpiry(event.target.value)} options={options} errors={errors?.expiry} />
      {expiry === "date" && <Field label="Expiry date" name="expiresOn" type="date" required errors={errors?.expiresOn} />}
    </div>
  );
}

const TITLES: Record<Exclude<Mode, null>, string> = { rename: "Rename key", roll: "Roll key", revoke: "Revoke key" };

/** One actions menu for a key (view, rename, roll, revoke), each action in its own dialog. */
export function KeyActions({ keyId, keyName, canChange, canRoll, graceChoices, apiOrigin, canManage = true, showView = true }: KeyActionsProps & { showView?: boolean }) {
  const { mode, open, generation, show: setMode, close } = useResettableDialog<Exclude<Mode, null>>();
  const router = useRouter();
  const scope = useKeyScope();
  const row = useRef<HTMLDivElement>(null);
  // The menu's button stays whatever the key becomes: focus returns to it after every dialog;
  // a revoked key leaves the default list, and focus goes to the list's search field instead.
  const rowButton = () => row.current?.querySelector<HTMLElement>("button:not(:disabled)") ?? document.getElementById("filter-q");
  const items: MenuItem[] = [
    ...(showView ? [{ label: "View details", onSelect: () => router.push(keyHref(scope, keyId)) }] : []),
    ...(canManage ? [{ label: "Rename", onSelect: () => setMode("rename") }] : []),
    ...(canManage && canChange && canRoll ? [{ label: "Roll", onSelect: () => setMode("roll") }] : []),
    ...(canManage && canChange ? [{ label: "Revoke", onSelect: () => setMode("revoke"), tone: "danger" as const }] : []),
  ];
  if (items.length === 0) return null;
  return (
    <div ref={row} className="flex justify-end">
      <MenuButton label={`Actions for ${keyName}`} items={items}>
        <svg aria-hidden viewBox="0 0 20 20" className="size-5" fill="currentColor">
          <circle cx="4" cy="10" r="1.6" />
          <circle cx="10" cy="10" r="1.6" />
          <circle cx="16" cy="10" r="1.6" />
        </svg>
      </MenuButton>
      <Dialog open={open} onClose={close} title={mode ? TITLES[mode] : ""} description={mode ? <>Key: {keyName}</> : undefined} returnFocus={rowButton}>
        {mode === "rename" && <RenameForm key={generation} keyId={keyId} keyName={keyName} onDone={close} />}
        {mode === "revoke" && <RevokeForm key={generation} keyId={keyId} keyName={keyName} onDone={close} />}
        {mode === "roll" && <RollForm key={generation} keyId={keyId} graceChoices={graceChoices} apiOrigin={apiOrigin} onDone={close} />}
      </Dialog>
    </div>
  );
}
