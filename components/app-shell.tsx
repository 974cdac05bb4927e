import Link from "next/link";
import { Toaster } from "sonner";
import { MainNav, type ShellNavItem } from "./main-nav";

export type { ShellNavItem };

/** The signed-in frame shared by the dashboard and the admin console. */
export function AppShell({ nav, email, signOut, switcher, bell, children }: { nav: ShellNavItem[]; email: string; signOut: React.ReactNode; switcher?: React.ReactNode; bell?: React.ReactNode; children: React.ReactNode }) {
  return (
    <div className="min-h-dvh">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-zinc-900">
        Skip to content
      </a>
      <header className="border-b border-zinc-200 bg-white/80 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/80">
        {/* On a phone the links do not fit beside the logo, switcher, bell and sign-out (about 435 px
            at 390): the navigation takes a second row of its own, the full width, so every link
            stays in sight instead of scrolling out of view. From sm up it is one 56 px row. */}
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-2 px-4 py-2 sm:h-14 sm:flex-nowrap sm:gap-6 sm:px-6 sm:py-0">
          <Link href="/dashboard" className="flex items-center gap-2 font-semibold tracking-tight">
            {/* eslint-disable-next-line @next/next/no-img-element -- a 28 px SVG needs no optimizing */}
            <img src="/logo.svg" alt="" width={28} height={28} className="size-7" />
            <span className="hidden sm:inline">Keyport</span>
          </Link>
          {switcher}
          <div className="order-last -mx-2 mt-1 flex basis-full sm:order-none sm:mx-0 sm:mt-0 sm:basis-auto sm:min-w-0">
            <MainNav items={nav} />
          </div>
          <div className="ml-auto flex items-center gap-1 text-sm whitespace-nowrap sm:gap-2">
            {bell}
            <Link href="/docs" aria-label="API docs" className="rounded-md px-2 py-1.5 text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"><span className="sm:hidden">Docs</span><span className="hidden sm:inline">API docs</span></Link>
            <span className="hidden max-w-48 truncate text-zinc-500 sm:inline dark:text-zinc-400" title={email}>
              {email}
            </span>
            {signOut}
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        {children}
      </main>
      <Toaster theme="system" closeButton position="bottom-right" />
    </div>
  );
}
