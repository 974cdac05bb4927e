const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "0", "90s", "15m", "1h", "7d" into milliseconds; null if it is not one of those. */
export function parseDuration(text: string): number | null {
  if (text.trim() === "0") return 0;
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  return match ? Number(match[1]) * UNITS[match[2]] : null;
}

const WORDS: [number, string][] = [
  [86_400_000, "day"],
  [3_600_000, "hour"],
  [60_000, "minute"],
  [1_000, "second"],
];

/** "1 hour", "7 days": how a duration reads in a menu. */
export function describeDuration(ms: number): string {
  if (ms === 0) return "None: stop the old key now";
  const [size, word] = WORDS.find(([unit]) => ms % unit === 0) ?? [1, "millisecond"];
  const count = ms / size;
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
