/** The admin console's table frame: one look for users, keys and audit events. */
export function AdminTable({ caption, headers, children, empty }: { caption: string; headers: string[]; children: React.ReactNode; empty?: string }) {
  return (
    <div className="relative overflow-x-auto rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table
        className={
          "min-w-full divide-y divide-zinc-200 text-sm dark:divide-zinc-800" +
          // An actions column (an empty last header) stays in view while the table scrolls
          // sideways on a phone, so every row's buttons are reachable at 390 px.
          (headers.at(-1) === ""
            ? " [&_tr>*:last-child]:sticky [&_tr>*:last-child]:right-0 [&_tr>*:last-child]:bg-white [&_tr>*:last-child]:shadow-[-8px_0_8px_-8px_rgb(0_0_0/0.15)] dark:[&_tr>*:last-child]:bg-zinc-900"
            : "")
        }
      >
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-zinc-50 text-left text-xs font-medium tracking-wide text-zinc-500 uppercase dark:bg-zinc-900/60 dark:text-zinc-400">
          <tr>
            {headers.map((header, index) => (
              <th key={index} scope="col" className="px-4 py-3 whitespace-nowrap">
                {header || <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>
      </table>
      {empty && <p className="px-4 py-10 text-center text-sm text-zinc-500 dark:text-zinc-400">{empty}</p>}
    </div>
  );
}
