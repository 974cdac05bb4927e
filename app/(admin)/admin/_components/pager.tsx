import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

/** Cursor pagination: "next" carries the last row's id; "first" drops the cursor. */
export function Pager({ basePath, params, nextCursor, hasCursor }: { basePath: string; params: Record<string, string | undefined>; nextCursor: string | null; hasCursor: boolean }) {
  const query = (cursor?: string) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
    if (cursor) search.set("cursor", cursor);
    const text = search.toString();
    return text ? `${basePath}?${text}` : basePath;
  };
  if (!nextCursor && !hasCursor) return null;
  return (
    <nav aria-label="Pagination" className="flex justify-end gap-2">
      {hasCursor && (
        <Link href={query()} className={buttonClasses("secondary", "sm")}>
          ← First page
        </Link>
      )}
      {nextCursor && (
        <Link href={query(nextCursor)} className={buttonClasses("secondary", "sm")}>
          Next page →
        </Link>
      )}
    </nav>
  );
}
