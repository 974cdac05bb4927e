import { buttonClasses } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/field";

export type FilterControl =
  | { kind: "text"; name: string; label: string; value?: string; placeholder?: string; type?: "text" | "email" | "date" }
  | { kind: "select"; name: string; label: string; value?: string; options: { value: string; label: string }[] };

/** A GET form: filters live in the URL, so a filtered view can be bookmarked and shared. */
export function FilterBar({ action, controls }: { action: string; controls: FilterControl[] }) {
  return (
    <form action={action} method="get" role="search" className="flex flex-wrap items-end gap-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      {controls.map((control) => (
        <div key={control.name} className="min-w-40 flex-1 space-y-1.5">
          <label htmlFor={`filter-${control.name}`} className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
            {control.label}
          </label>
          {control.kind === "text" ? (
            <input id={`filter-${control.name}`} name={control.name} type={control.type ?? "text"} defaultValue={control.value} placeholder={control.placeholder} className={inputClasses} />
          ) : (
            <select id={`filter-${control.name}`} name={control.name} defaultValue={control.value ?? ""} className={inputClasses}>
              {control.options.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          )}
        </div>
      ))}
      <div className="flex gap-2">
        <button type="submit" className={buttonClasses("primary")}>
          Apply
        </button>
        <a href={action} className={buttonClasses("secondary")}>
          Reset
        </a>
      </div>
    </form>
  );
}
