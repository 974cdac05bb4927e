"use client";

import { useEffect } from "react";
import { toast } from "sonner";
import { Button, type ButtonVariant } from "@/components/ui/button";
import { Dialog, useResettableDialog } from "@/components/ui/dialog";
import { Field, FieldError } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import type { AdminActionState } from "../actions";

export interface ActionField {
  name: string;
  label: string;
  type?: "text" | "number";
  required?: boolean;
  hint?: string;
  defaultValue?: string;
}

interface AdminActionButtonProps {
  action: (state: AdminActionState, formData: FormData) => Promise<AdminActionState>;
  label: string;
  /** Accessible name of the button when its visible label is ambiguous in a table row. */
  ariaLabel?: string;
  title: string;
  description: string;
  submitLabel: string;
  variant?: ButtonVariant;
  hidden: Record<string, string>;
  fields?: ActionField[];
}

function ActionForm({ action, submitLabel, variant, hidden, fields = [], onDone }: AdminActionButtonProps & { onDone: () => void }) {
  const { state, onSubmit, pending } = useActionForm(action, { ok: false }, (result) => {
    if (result.ok) toast.success(result.message ?? "Done.");
  });
  useEffect(() => {
    if (state.ok) onDone();
    // onDone is recreated every render; a new state object marks a new result.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {fields.map((field, index) => (
        <Field
          key={field.name}
          label={field.label}
          name={field.name}
          type={field.type ?? "text"}
          required={field.required}
          hint={field.hint}
          defaultValue={field.defaultValue}
          autoFocus={index === 0}
          errors={state.errors?.[field.name]}
        />
      ))}
      <FieldError errors={!state.ok && state.message ? [state.message] : undefined} />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone} autoFocus={fields.length === 0}>
          Cancel
        </Button>
        <Button type="submit" variant={variant} pending={pending}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}

/** A table-row button that confirms in a dialog, runs an admin server action and toasts the result. */
export function AdminActionButton(props: AdminActionButtonProps) {
  const { open, generation, show, close } = useResettableDialog();
  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => show(true)} aria-label={props.ariaLabel} className={props.variant === "danger" ? "text-red-700 dark:text-red-400" : undefined}>
        {props.label}
      </Button>
      <Dialog open={open} onClose={close} title={props.title} description={props.description}>
        <ActionForm key={generation} {...props} onDone={close} />
      </Dialog>
    </>
  );
}
