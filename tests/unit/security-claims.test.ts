// SECURITY.md names a test for each claim as `file › test name` (a following `› name` reuses the
// last file). A claim whose test was renamed or deleted is a claim nothing checks any more, so
// this fails on every citation that no longer finds its test.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface Citation {
  file: string;
  name: string;
}

function citations(markdown: string): Citation[] {
  const found: Citation[] = [];
  let file: string | null = null;
  for (const [, code] of markdown.matchAll(/`([^`\n]+)`/g)) {
    const withFile = code.match(/^(tests\/\S+\.(?:ts|mts|tsx))(?: › (.+))?$/);
    if (withFile) {
      file = withFile[1];
      if (withFile[2]) found.push({ file, name: withFile[2] });
      continue;
    }
    const nameOnly = code.match(/^› (.+)$/);
    if (nameOnly && file) found.push({ file, name: nameOnly[1] });
  }
  return found;
}

/** A cited name may shorten with "…" and writes configured numbers as the runner prints them. */
function namePattern(name: string): RegExp {
  const escaped = name
    .split("…")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\d[\d,.]*/g, ".+"))
    .join("[\\s\\S]*");
  return new RegExp(escaped);
}

describe("SECURITY.md", () => {
  const cited = citations(readFileSync("SECURITY.md", "utf8"));

  it("cites tests (the parser still understands its format)", () => {
    expect(cited.length).toBeGreaterThan(100);
  });

  it("names only tests that exist, in the files it names", () => {
    const missing = cited.filter(({ file, name }) => {
      if (!existsSync(file)) return true;
      const source = readFileSync(file, "utf8");
      return !source.includes(name) && !namePattern(name).test(source);
    });
    expect(missing.map(({ file, name }) => `${file} › ${name}`)).toEqual([]);
  });
});
