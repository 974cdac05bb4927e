import Link from "next/link";

/** What a mail's link page shows when its token no longer works (expired, used, replaced). */
export function DeadLink({ why, next }: { why: string; next: { href: string; label: string } }) {
  return (
    <div>
      <h1 className="text-xl font-semibold">This link does not work</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{why}</p>
      <p className="mt-6 text-center text-sm">
        <Link href={next.href} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          {next.label}
        </Link>
      </p>
    </div>
  );
}
