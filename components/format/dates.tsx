const absolute = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 31_536_000_000],
  ["month", 2_592_000_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "3 hours ago" / "in 7 days", relative to now. */
export function relativeTime(date: Date, now = new Date()): string {
  const diff = date.getTime() - now.getTime();
  for (const [unit, size] of STEPS) {
    if (Math.abs(diff) >= size) return relative.format(Math.round(diff / size), unit);
  }
  return diff >= 0 ? "in a moment" : "just now";
}

/** A <time> with the relative text and the exact UTC time as its tooltip. */
export function Time({ date, fallback = "—" }: { date: Date | null | undefined; fallback?: string }) {
  if (!date) return <span className="text-zinc-500 dark:text-zinc-400">{fallback}</span>;
  return (
    <time dateTime={date.toISOString()} title={`${absolute.format(date)} UTC`}>
      {relativeTime(date)}
    </time>
  );
}

export function formatAbsolute(date: Date) {
  return `${absolute.format(date)} UTC`;
}
