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

/** The header's navigation, with the current page marked for sight and for assistive tech. */
export function MainNav({ items }: { items: ShellNavItem[] }) {
  const current = currentNavItem(items, usePathname());
  return (
    <nav aria-label="Main" className="flex items-center gap-1 text-sm">
      {items.map((item) => (
        <Link
          key={item.href}
          href={item.href}
          aria-current={item === current ? "page" : undefined}
          className={cn(
            "rounded-md px-2.5 py-1.5 text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
            "aria-[current=page]:bg-zinc-100 aria-[current=page]:font-medium aria-[current=page]:text-zinc-950 dark:aria-[current=page]:bg-zinc-800 dark:aria-[current=page]:text-white",
          )}
        >
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
