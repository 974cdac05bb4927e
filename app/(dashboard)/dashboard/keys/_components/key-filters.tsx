import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/field";
import { KEY_STATUS_LABELS, type KeyStatus } from "@/lib/api-keys/key-status";

export type SearchParams = Record<string, string | string[] | undefined>;

/** ?q=&status=&env=&show=all&page= as typed values; anything unknown is ignored. */
export function readListParams(searchParams: SearchParams): KeyListParams {
  const one = (name: string) => {
    const raw = searchParams[name];
    return (Array.isArray(raw) ? raw[0] : raw)?.trim().slice(0, 200) || undefined;
  };
  const status = one("status");
  const env = one("env");
  const page = Number(one("page"));
  return {
    q: one("q"),
    status: status && status in KEY_STATUS_LABELS ? (status as KeyStatus) : undefined,
    env: env === "test" || env === "live" ? env : undefined,
    show: one("show") === "all" ? "all" : undefined,
    page: Number.isInteger(page) && page > 0 ? page : undefined,
  };
}

export interface KeyListParams {
  q?: string;
  status?: KeyStatus;
  env?: "test" | "live";
  /** "all": revoked and expired keys are shown too. */
  show?: "all";
  page?: number;
}

/** The key list's URL for these filters (empty ones left out, page 1 implied). */
export function keyListHref(params: KeyListParams, listPath = "/dashboard") {
  const search = new URLSearchParams();
  if (params.q) search.set("q", params.q);
  if (params.status) search.set("status", params.status);
  if (params.env) search.set("env", params.env);
  if (params.show) search.set("show", params.show);
  if (params.page && params.page > 1) search.set("page", String(params.page));
  const text = search.toString();
  return text ? `${listPath}?${text}` : listPath;
}

/** A GET form: filters live in the URL, so a view can be bookmarked and the server reads them. */
export function KeyFilters({ params, listPath = "/dashboard" }: { params: KeyListParams; listPath?: string }) {
  return (
    <form action={listPath} method="get" role="search" aria-label="Filter keys" className="flex flex-wrap items-end gap-3">
      <div className="min-w-48 flex-[2] space-y-1">
        <label htmlFor="filter-q" className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Search by name or start
        </label>
        <input id="filter-q" name="q" type="search" defaultValue={params.q} placeholder="billing or kp_live_Ab3x" className={inputClasses} />
      </div>
      <div className="min-w-32 flex-1 space-y-1">
        <label htmlFor="filter-status" className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Status
        </label>
        <select id="filter-status" name="status" defaultValue={params.status ?? ""} className={inputClasses}>
          <option value="">Working</option>
          {(Object.keys(KEY_STATUS_LABELS) as KeyStatus[]).map((status) => (
            <option key={status} value={status}>
              {KEY_STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
      <div className="min-w-28 flex-1 space-y-1">
        <label htmlFor="filter-env" className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Environment
        </label>
        <select id="filter-env" name="env" defaultValue={params.env ?? ""} className={inputClasses}>
          <option value="">Any</option>
          <option value="test">test</option>
          <option value="live">live</option>
        </select>
      </div>
      <label className="flex h-10 items-center gap-2 text-sm">
        <input type="checkbox" name="show" value="all" defaultChecked={params.show === "all"} className="accent-indigo-600" />
        Show revoked and expired
      </label>
      <div className="flex gap-2">
        <button type="submit" className={buttonClasses("primary")}>
          Apply
        </button>
        <Link href={listPath} className={buttonClasses("secondary")}>
          Reset
        </Link>
      </div>
    </form>
  );
}

/** "21–40 of 70 keys", with previous and next pages. */
export function KeyPager({ params, page, pageCount, total, pageSize, hiddenEnded, listPath = "/dashboard" }: { params: KeyListParams; page: number; pageCount: number; total: number; pageSize: number; hiddenEnded: number; listPath?: string }) {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-zinc-600 dark:text-zinc-400" data-testid="key-count">
        {total === 0 ? "No keys match." : `${first}–${last} of ${total} ${total === 1 ? "key" : "keys"}`}
        {hiddenEnded > 0 && (
          <>
            {" · "}
            <Link href={keyListHref({ ...params, show: "all", page: 1 }, listPath)} className="text-indigo-600 hover:underline dark:text-indigo-400">
              {hiddenEnded} revoked or expired hidden
            </Link>
          </>
        )}
      </p>
      {pageCount > 1 && (
        <div className="flex items-center gap-2">
          {page > 1 ? (
            <Link href={keyListHref({ ...params, page: page - 1 }, listPath)} className={buttonClasses("secondary", "sm")} rel="prev">
              ← Previous
            </Link>
          ) : (
            <span aria-disabled className={`${buttonClasses("secondary", "sm")} opacity-50`}>← Previous</span>
          )}
          <span className="text-zinc-600 dark:text-zinc-400">
            Page {page} of {pageCount}
          </span>
          {page < pageCount ? (
            <Link href={keyListHref({ ...params, page: page + 1 }, listPath)} className={buttonClasses("secondary", "sm")} rel="next">
              Next →
            </Link>
          ) : (
            <span aria-disabled className={`${buttonClasses("secondary", "sm")} opacity-50`}>Next →</span>
          )}
        </div>
      )}
    </nav>
  );
}
