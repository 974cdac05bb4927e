"use client";

import { useId, useState } from "react";

/** A code block with a copy button. */
export function CodeBlock({ code, label }: { code: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard.writeText(code);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  }
  return (
    <div className="relative">
      <pre tabIndex={0} aria-label={label} className="overflow-x-auto rounded-lg bg-zinc-900 p-4 pr-20 font-mono text-xs leading-relaxed text-zinc-100 dark:bg-black">
        <code>{code}</code>
      </pre>
      <button
        type="button"
        onClick={copy}
        aria-label={label ? `Copy ${label}` : "Copy"}
        className="absolute top-2 right-2 rounded-md border border-zinc-700 bg-zinc-800 px-2 py-1 text-xs text-zinc-100 hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-indigo-400"
      >
        <span aria-live="polite">{copied ? "Copied" : "Copy"}</span>
      </button>
    </div>
  );
}

/** The same request in several languages, as tabs (WAI-ARIA tabs: arrow keys move between them). */
export function CodeTabs({ snippets, title }: { snippets: { label: string; code: string }[]; title: string }) {
  const [active, setActive] = useState(0);
  const id = useId();
  function onKeyDown(event: React.KeyboardEvent) {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = (active + step + snippets.length) % snippets.length;
    setActive(next);
    document.getElementById(`${id}-tab-${next}`)?.focus();
  }
  return (
    <div>
      <div role="tablist" aria-label={title} className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800" onKeyDown={onKeyDown}>
        {snippets.map((snippet, index) => (
          <button
            key={snippet.label}
            id={`${id}-tab-${index}`}
            type="button"
            role="tab"
            aria-selected={index === active}
            aria-controls={`${id}-panel`}
            tabIndex={index === active ? 0 : -1}
            onClick={() => setActive(index)}
            className="-mb-px border-b-2 border-transparent px-3 py-1.5 text-sm text-zinc-600 hover:text-zinc-900 aria-selected:border-indigo-600 aria-selected:font-medium aria-selected:text-zinc-950 dark:text-zinc-400 dark:hover:text-white dark:aria-selected:text-white"
          >
            {snippet.label}
          </button>
        ))}
      </div>
      <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${active}`} className="pt-2">
        <CodeBlock code={snippets[active].code} label={`${title} (${snippets[active].label})`} />
      </div>
    </div>
  );
}
