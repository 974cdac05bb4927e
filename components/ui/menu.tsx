"use client";

import { useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { cn } from "./cn";

export interface MenuItem {
  label: string;
  onSelect: () => void;
  tone?: "danger";
  /** Distinguishes items whose labels may repeat (two teams of the same name). */
  id?: string;
  /** A choice among several (the team switcher): the item is a menuitemradio, checked when it is the current one. */
  checked?: boolean;
}

/**
 * A button that opens a menu of actions (the WAI-ARIA menu button pattern): Enter, Space or
 * ArrowDown open it on the first item, ArrowUp on the last; ArrowUp/ArrowDown/Home/End move,
 * Escape or Tab closes it and focus goes back to the button. The menu is rendered into
 * document.body at a fixed position, so a table's overflow never clips it; it follows its button
 * when the page scrolls or resizes, and closes once the button is out of sight.
 * An item's onSelect runs after focus is back on the button, so a dialog it opens returns
 * focus there when it closes.
 */
export function MenuButton({ label, items, children, className }: { label: string; items: MenuItem[]; children: React.ReactNode; className?: string }) {
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [position, setPosition] = useState<{ top: number; right: number } | null>(null);

  function show(index: number) {
    setActive(index);
    setOpen(true);
  }

  function close(returnFocus = true) {
    setOpen(false);
    if (returnFocus) button.current?.focus();
  }

  /** Places the menu under its button; false once the button has left the viewport. */
  function place() {
    if (!button.current) return false;
    const rect = button.current.getBoundingClientRect();
    setPosition({ top: rect.bottom + 4, right: Math.max(8, window.innerWidth - rect.right) });
    return rect.bottom > 0 && rect.top < window.innerHeight;
  }

  useLayoutEffect(() => {
    if (open) place();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) close(false);
    };
    // A scroll (the page's or the table's) moves the menu with its button, and closes it only
    // once the button is out of sight: a scroll that lands just after opening must not close it.
    const onMove = () => {
      if (!place()) close(false);
    };
    document.addEventListener("pointerdown", onPointer);
    window.addEventListener("resize", onMove);
    window.addEventListener("scroll", onMove, true);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      window.removeEventListener("resize", onMove);
      window.removeEventListener("scroll", onMove, true);
    };
  }, [open]);

  useEffect(() => {
    if (open && position) menu.current?.querySelectorAll<HTMLElement>("[role^=menuitem]")[active]?.focus();
  }, [open, position, active]);

  function select(item: MenuItem) {
    close();
    item.onSelect();
  }

  function onMenuKeyDown(event: React.KeyboardEvent) {
    const last = items.length - 1;
    const moves: Record<string, () => number> = {
      ArrowDown: () => (active >= last ? 0 : active + 1),
      ArrowUp: () => (active <= 0 ? last : active - 1),
      Home: () => 0,
      End: () => last,
    };
    if (moves[event.key]) {
      event.preventDefault();
      setActive(moves[event.key]());
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === "Tab") {
      event.preventDefault();
      close();
    }
  }

  return (
    <>
      <button
        ref={button}
        type="button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close() : show(0))}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown") {
            event.preventDefault();
            show(0);
          } else if (event.key === "ArrowUp") {
            event.preventDefault();
            show(items.length - 1);
          }
        }}
        className={cn(
          "inline-flex h-8 min-w-8 items-center justify-center rounded-md px-2 text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
          className,
        )}
      >
        {children}
      </button>
      {open &&
        position &&
        createPortal(
          <div
            ref={menu}
            id={menuId}
            role="menu"
            aria-label={label}
            onKeyDown={onMenuKeyDown}
            style={{ position: "fixed", top: position.top, right: position.right }}
            className="z-50 min-w-40 rounded-lg border border-zinc-200 bg-white p-1 text-sm text-zinc-900 shadow-lg dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
          >
            {items.map((item, index) => (
              <button
                key={item.id ?? item.label}
                type="button"
                role={item.checked === undefined ? "menuitem" : "menuitemradio"}
                aria-checked={item.checked}
                tabIndex={index === active ? 0 : -1}
                onClick={() => select(item)}
                onMouseEnter={() => setActive(index)}
                className={cn(
                  "block w-full rounded-md px-3 py-1.5 text-left outline-none focus:bg-zinc-100 dark:focus:bg-zinc-800",
                  item.tone === "danger" && "text-red-700 dark:text-red-400",
                )}
              >
                {item.checked !== undefined && (
                  <span aria-hidden className="mr-1.5 inline-block w-3 text-indigo-600 dark:text-indigo-400">
                    {item.checked ? "✓" : ""}
                  </span>
                )}
                {item.label}
              </button>
            ))}
          </div>,
          document.body,
        )}
    </>
  );
}
