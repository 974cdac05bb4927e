"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "./ui/cn";

export interface ShellNavItem {
  href: string;
  label: string;
}

/**
 * The item for the current page: the one whose href is the longest prefix of the path, so a
 * key's page highlights "Keys" and /admin/keys highlights "Keys", not "Users" (/admin).
 */
export function currentNavItem(items: ShellNavItem[], pathname: string): ShellNavItem | undefined {
  return items
    .filter((item) => pathname === item.href || pathname.startsWith(`${item.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0];
}

/** The header's navigation (or a section's: a team's pages), with the current page marked for sight and for assistive tech. */
export function MainNav({ items, label = "Main" }: { items: ShellNavItem[]; label?: string }) {
  const current = currentNavItem(items, usePathname());
  return (
    // On a phone the header's links may not all fit: the nav scrolls sideways instead of
    // widening the page (min-w-0 lets it shrink inside the header's flex row).
    <nav aria-label={label} className="flex min-w-0 items-center gap-1 overflow-x-auto text-sm">
      {items.map((item) => (
        <Link
          key={item.href}
          href={item.href}
          aria-current={item === current ? "page" : undefined}
          className={cn(
            "shrink-0 rounded-md px-2.5 py-1.5 whitespace-nowrap text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
            "aria-[current=page]:bg-zinc-100 aria-[current=page]:font-medium aria-[current=page]:text-zinc-950 dark:aria-[current=page]:bg-zinc-800 dark:aria-[current=page]:text-white",
          )}
        >
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
