"use client";

import { useEffect, useRef } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, useResettableDialog } from "@/components/ui/dialog";
import { Field, SelectField } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { type KeyActionState, renameKey, revokeKey, rollKey } from "../actions";
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
  const { state, onSubmit, pending } = useActionForm<KeyActionState>(revokeKey, { ok: false });
  useToastOnSuccess(state, onDone);
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4">
      <input type="hidden" name="keyId" value={keyId} />
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
    <form method="post" onSubmit={onSubmit} className="space-y-4">
      <input type="hidden" name="keyId" value={keyId} />
      <p className="text-sm">A new key with the same name, scopes and expiry replaces this one. Keep the old one working while you deploy the new one:</p>
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

const TITLES: Record<Exclude<Mode, null>, string> = { rename: "Rename key", roll: "Roll key", revoke: "Revoke key" };

/** Rename, roll and revoke for one key, each in its own dialog. */
export function KeyActions({ keyId, keyName, canChange, canRoll, graceChoices, apiOrigin }: KeyActionsProps) {
  const { mode, open, generation, show: setMode, close } = useResettableDialog<Exclude<Mode, null>>();
  const row = useRef<HTMLDivElement>(null);
  // A rolled key in grace loses its Roll button while the reveal shows: focus returns to the row's first button.
  const rowButton = () => row.current?.querySelector<HTMLElement>("button:not(:disabled)");
  return (
    <div ref={row} className="flex justify-end gap-1">
      <Button variant="ghost" size="sm" onClick={() => setMode("rename")} aria-label={`Rename ${keyName}`}>
        Rename
      </Button>
      {canChange && canRoll && (
        <Button variant="ghost" size="sm" onClick={() => setMode("roll")} aria-label={`Roll ${keyName}`}>
          Roll
        </Button>
      )}
      {canChange && (
        <Button variant="ghost" size="sm" onClick={() => setMode("revoke")} aria-label={`Revoke ${keyName}`} className="text-red-700 dark:text-red-400">
          Revoke
        </Button>
      )}
      <Dialog open={open} onClose={close} title={mode ? TITLES[mode] : ""} description={mode ? <>Key: {keyName}</> : undefined} returnFocus={rowButton}>
        {mode === "rename" && <RenameForm key={generation} keyId={keyId} keyName={keyName} onDone={close} />}
        {mode === "revoke" && <RevokeForm key={generation} keyId={keyId} keyName={keyName} onDone={close} />}
        {mode === "roll" && <RollForm key={generation} keyId={keyId} graceChoices={graceChoices} apiOrigin={apiOrigin} onDone={close} />}
      </Dialog>
    </div>
  );
}
