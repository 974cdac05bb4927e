import type { InputHTMLAttributes, ReactNode } from "react";
import { cn } from "./cn";

export const inputClasses =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-xs placeholder:text-zinc-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  /** Messages shown next to the field, linked with aria-describedby. */
  errors?: string[];
  hint?: ReactNode;
}

/** A labelled input with its hint and its errors next to it. */
export function Field({ label, name, errors, hint, id, className, ...props }: FieldProps) {
  const inputId = id ?? `field-${name}`;
  const errorId = `${inputId}-error`;
  const hintId = `${inputId}-hint`;
  const hasError = Boolean(errors?.length);
  return (
    <div className={cn("space-y-1.5", className)}>
      <label htmlFor={inputId} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={inputId}
        name={name}
        aria-invalid={hasError || undefined}
        aria-describedby={cn(hasError && errorId, hint ? hintId : undefined) || undefined}
        className={inputClasses}
        {...props}
      />
      {hint && !hasError && (
        <p id={hintId} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      )}
      <FieldError id={errorId} errors={errors} />
    </div>
  );
}

export function FieldError({ id, errors }: { id?: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} role="alert" className="text-sm text-red-600 dark:text-red-400">
      {errors[0]}
    </p>
  );
}

/** A labelled <select> with its error next to it. */
export function SelectField({
  label,
  name,
  options,
  errors,
  ...props
}: { label: string; name: string; options: { value: string | number; label: string }[]; errors?: string[] } & React.SelectHTMLAttributes<HTMLSelectElement>) {
  const id = `field-${name}`;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} name={name} aria-invalid={errors?.length ? true : undefined} className={inputClasses} {...props}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldError errors={errors} />
    </div>
  );
}
