"use client";

import { useEffect, useId, useRef, useState } from "react";
import { cn } from "./cn";

interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
}

/**
 * A modal built on the native <dialog>: the browser traps focus, Escape closes it and
 * focus returns to the opener, with no library needed.
 */
export function Dialog({ open, onClose, title, description, children, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its panel) closes it.
        if (event.target === ref.current) onClose();
      }}
      className={cn(
        "m-auto w-[min(100%-2rem,32rem)] rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-zinc-950/60 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100",
        className,
      )}
    >
      {open && (
        <div className="p-6">
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          {description && (
            <div id={descriptionId} className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              {description}
            </div>
          )}
          <div className="mt-5">{children}</div>
        </div>
      )}
    </dialog>
  );
}

/**
 * Open state for a dialog whose content must start fresh each time: closing bumps
 * `generation`, which the content uses as its React key, so state inside it (a revealed
 * secret, a half-filled form) is dropped on close.
 */
export function useResettableDialog<Mode = true>() {
  const [mode, setMode] = useState<Mode | null>(null);
  const [generation, setGeneration] = useState(0);
  return {
    mode,
    open: mode !== null,
    generation,
    show: (next: Mode) => setMode(next),
    close: () => {
      setMode(null);
      setGeneration((value) => value + 1);
    },
  };
}
