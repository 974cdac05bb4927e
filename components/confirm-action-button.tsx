"use client";

import { useEffect } from "react";
import { toast } from "sonner";
import { Button, type ButtonVariant } from "@/components/ui/button";
import { Dialog, useResettableDialog } from "@/components/ui/dialog";
import { Field, FieldError, SelectField } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";

/** What the confirmed actions answer (the admin console's and the team pages' actions alike). */
export interface ConfirmActionState {
  ok: boolean;
  message?: string;
  errors?: Record<string, string[] | undefined>;
}

export interface ActionField {
  name: string;
  label: string;
  type?: "text" | "number";
  required?: boolean;
  hint?: string;
  defaultValue?: string;
  /** A <select> of these options instead of a text input. */
  options?: { value: string; label: string }[];
}

export interface ConfirmActionButtonProps<State extends ConfirmActionState> {
  action: (state: State, formData: FormData) => Promise<State>;
  label: string;
  /** Accessible name of the button when its visible label is ambiguous in a table row. */
  ariaLabel?: string;
  title: string;
  description: string;
  submitLabel: string;
  variant?: ButtonVariant;
  /** The button's own look (default: a small ghost button, red for a dangerous action). */
  buttonVariant?: ButtonVariant;
  hidden: Record<string, string>;
  fields?: ActionField[];
}

function ActionForm<State extends ConfirmActionState>({ action, submitLabel, variant, hidden, fields = [], onDone }: ConfirmActionButtonProps<State> & { onDone: () => void }) {
  const { state, onSubmit, pending } = useActionForm<State>(action, { ok: false } as State, (result) => {
    if (result.ok) toast.success(result.message ?? "Done.");
  });
  useEffect(() => {
    if (state.ok) onDone();
    // onDone is recreated every render; a new state object marks a new result.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);
  const fieldNames = new Set(fields.map((field) => field.name));
  // A refusal that belongs to no field of this form is shown once, above the buttons.
  const formError = !state.ok ? (state.message && !Object.keys(state.errors ?? {}).some((name) => fieldNames.has(name)) ? state.message : undefined) : undefined;
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {fields.map((field, index) =>
        field.options ? (
          <SelectField key={field.name} label={field.label} name={field.name} defaultValue={field.defaultValue} options={field.options} errors={state.errors?.[field.name]} autoFocus={index === 0} />
        ) : (
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
        ),
      )}
      <FieldError errors={formError ? [formError] : undefined} />
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

/** A button that confirms in a dialog (with optional fields), runs a server action and toasts the result. */
export function ConfirmActionButton<State extends ConfirmActionState>(props: ConfirmActionButtonProps<State>) {
  const { open, generation, show, close } = useResettableDialog();
  const look = props.buttonVariant ?? "ghost";
  return (
    <>
      <Button variant={look} size="sm" onClick={() => show(true)} aria-label={props.ariaLabel} className={look === "ghost" && props.variant === "danger" ? "text-red-700 dark:text-red-400" : undefined}>
        {props.label}
      </Button>
      <Dialog open={open} onClose={close} title={props.title} description={props.description}>
        <ActionForm key={generation} {...props} onDone={close} />
      </Dialog>
    </>
  );
}
