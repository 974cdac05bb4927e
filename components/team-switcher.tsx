"use client";

import { usePathname, useRouter } from "next/navigation";
import { MenuButton, type MenuItem } from "./ui/menu";

export interface SwitcherTeam {
  slug: string;
  name: string;
}

/** The team slug of a dashboard path (/dashboard/teams/<slug>/…), or null outside a team. */
export function teamSlugOfPath(pathname: string): string | null {
  const match = /^\/dashboard\/teams\/([^/]+)/.exec(pathname);
  if (!match) return null;
  const slug = decodeURIComponent(match[1]);
  return slug === "new" ? null : slug;
}

/**
 * Switches the dashboard between the personal keys and each team the user belongs to, and
 * offers to create a team. A menu button (WAI-ARIA): Enter, Space or the arrow keys open it,
 * the arrows move, Escape closes; the current choice is a checked menuitemradio. It only
 * navigates: every team page checks the membership again on the server.
 */
export function TeamSwitcher({ teams }: { teams: SwitcherTeam[] }) {
  const router = useRouter();
  const slug = teamSlugOfPath(usePathname());
  const current = teams.find((team) => team.slug === slug);
  const items: MenuItem[] = [
    { id: "personal", label: "Personal", checked: !current, onSelect: () => router.push("/dashboard") },
    ...teams.map((team) => ({ id: `team:${team.slug}`, label: team.name, checked: team === current, onSelect: () => router.push(`/dashboard/teams/${team.slug}/keys`) })),
    { id: "new", label: "Create team…", onSelect: () => router.push("/dashboard/teams/new") },
  ];
  return (
    <MenuButton label={`Switch team (now: ${current ? current.name : "Personal"})`} items={items} className="gap-1 border border-zinc-200 px-1.5 text-sm sm:gap-1.5 sm:px-2.5 dark:border-zinc-700">
      {/* On a phone the header has no room for a name: the icon stands for it (the button's label says it). */}
      <svg aria-hidden viewBox="0 0 20 20" className="size-4 sm:hidden" fill="none" stroke="currentColor" strokeWidth="1.6">
        <circle cx="7" cy="7" r="2.5" />
        <circle cx="13.5" cy="8" r="2" />
        <path d="M2.5 16c.6-2.6 2.4-4 4.5-4s3.9 1.4 4.5 4M12 12.3c.5-.2 1-.3 1.5-.3 1.7 0 3.1 1.1 3.6 3.2" />
      </svg>
      <span className="hidden max-w-40 truncate sm:inline">{current ? current.name : "Personal"}</span>
      <svg aria-hidden viewBox="0 0 20 20" className="hidden size-4 sm:block" fill="currentColor">
        <path d="M5.5 7.5 10 12l4.5-4.5" stroke="currentColor" strokeWidth="1.6" fill="none" />
      </svg>
    </MenuButton>
  );
}
