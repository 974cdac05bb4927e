"use client";

import { createContext, useContext, useEffect, useId, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { cn } from "./cn";

interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
  /**
   * Where focus goes on close when the element that opened the dialog has gone meanwhile
   * (the empty state's button once the first key exists, a row's Roll button once the key is
   * in grace). Without it focus would fall to the page's body.
   */
  returnFocus?: () => HTMLElement | null | undefined;
}

interface DialogLock {
  lock: () => () => void;
  dismissAttempts: number;
}

const DialogLockContext = createContext<DialogLock | null>(null);

/**
 * Makes the surrounding dialog impossible to dismiss by accident while the calling component
 * is mounted: Escape and a click on the backdrop no longer close it, so only the content's own
 * buttons can. For content that cannot be shown again (a new key's secret). Returns how often
 * the user tried to dismiss it meanwhile, so the content can say how to close it.
 */
export function useDialogLock(): number {
  const context = useContext(DialogLockContext);
  const lock = context?.lock;
  useEffect(() => lock?.(), [lock]);
  return context?.dismissAttempts ?? 0;
}

/**
 * A modal built on the native <dialog>: the browser traps focus and Escape closes it (unless
 * its content holds a useDialogLock); on close, focus returns to the element that opened it.
 * It is rendered into document.body (a portal), not where it is declared: a dialog declared in
 * a table cell would otherwise inherit the cell's text-align and white-space (an admin revoke
 * dialog's text was right-aligned and cut mid-word), so every dialog looks the same wherever
 * its button is.
 */
export function Dialog({ open, onClose, title, description, children, className, returnFocus }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  const descriptionId = useId();
  const [locks, setLocks] = useState(0);
  const [dismissAttempts, setDismissAttempts] = useState(0);
  const locked = locks > 0;
  // document.body exists only in the browser: the portal is made after hydration.
  const [portalTarget, setPortalTarget] = useState<HTMLElement | null>(null);
  useEffect(() => setPortalTarget(document.body), []);
  const [lockApi] = useState(() => ({
    lock: () => {
      setLocks((count) => count + 1);
      return () => setLocks((count) => count - 1);
    },
  }));

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      setDismissAttempts(0);
      dialog.showModal();
    }
    if (!open && dialog.open) {
      dialog.close();
      const previous = opener.current;
      opener.current = null;
      const target = previous instanceof HTMLElement && previous.isConnected && !previous.matches(":disabled") ? previous : returnFocus?.();
      target?.focus();
    }
  }, [open, returnFocus, portalTarget]);

  // Unmounted while open (its row left the page, say a revoked key under a filter that hides
  // revoked keys): focus would fall to the body, so it goes where returnFocus says.
  const returnFocusRef = useRef(returnFocus);
  returnFocusRef.current = returnFocus;
  const openRef = useRef(open);
  openRef.current = open;
  useEffect(
    () => () => {
      // Refs to elements are already cleared when this runs: the last render's `open` decides.
      if (!openRef.current) return;
      const previous = opener.current;
      const target = previous instanceof HTMLElement && previous.isConnected ? previous : returnFocusRef.current?.();
      target?.focus();
    },
    [],
  );

  /** Escape or the backdrop: closes the dialog, or, while it is locked, only counts the attempt. */
  function dismiss() {
    if (locked) setDismissAttempts((count) => count + 1);
    else onClose();
  }

  if (!portalTarget) return null;
  return createPortal(
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      // Chromium's own rule for modals: "none" ignores Escape and light dismiss altogether.
      closedby={locked ? "none" : undefined}
      onKeyDown={(event) => {
        // Escape's default action is the close request; a browser may force a second one
        // through even when its cancel event is refused, so the key itself is stopped here.
        if (event.key === "Escape" && locked) {
          event.preventDefault();
          dismiss();
        }
      }}
      onCancel={(event) => {
        event.preventDefault();
        dismiss();
      }}
      onClose={() => {
        // Closed by the browser while it should still be open (a forced close request): a
        // locked dialog opens again, any other one reports the close.
        if (!open) return;
        if (locked) ref.current?.showModal();
        else onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its panel).
        if (event.target === ref.current) dismiss();
      }}
      className={cn(
        "m-auto w-[min(100%-2rem,32rem)] rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-zinc-950/60 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100",
        className,
      )}
    >
      {open && (
        <DialogLockContext.Provider value={{ lock: lockApi.lock, dismissAttempts }}>
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
        </DialogLockContext.Provider>
      )}
    </dialog>,
    portalTarget,
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
