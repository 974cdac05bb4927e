import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Where the bench builds: its own folder, so a build in .next (another engineer's) is never touched. */
export const DIST_DIR = "bench/.work/next";

/**
 * `next build` rewrites two files for a non-default distDir: it appends the folder's type
 * globs to tsconfig.json's include and points next-env.d.ts at its route types. Neither
 * belongs to the bench, so both are put back exactly as they were when the only change is
 * that one. Anything else (someone edited the file meanwhile) is left alone, with a warning.
 */
function restoreFile(file: string, before: string | null, onlyOurChange: (after: string, before: string) => boolean) {
  if (before === null || !existsSync(file)) return;
  const after = readFileSync(file, "utf8");
  if (after === before) return;
  if (onlyOurChange(after, before)) writeFileSync(file, before);
  else console.warn(`[bench] ${file} changed during the run in a way the bench did not expect; left as it is.`);
}

function tsconfigOnlyGainedOurIncludes(after: string, before: string): boolean {
  try {
    const parsedAfter = JSON.parse(after) as { include?: string[] };
    const parsedBefore = JSON.parse(before) as { include?: string[] };
    parsedAfter.include = parsedAfter.include?.filter((entry) => !entry.startsWith(`${DIST_DIR}/`));
    return JSON.stringify(parsedAfter) === JSON.stringify(parsedBefore);
  } catch {
    return false;
  }
}

/**
 * Remembers tsconfig.json and next-env.d.ts as they are now and returns what puts them
 * back. Both the build and the production servers started on DIST_DIR rewrite them, so the
 * bench calls it once at the start and the returned function after its servers stop.
 */
export function keepFilesNextRewrites(): () => void {
  const [tsconfig, nextEnv] = ["tsconfig.json", "next-env.d.ts"].map((name) => path.resolve(name));
  const before = [tsconfig, nextEnv].map((file) => (existsSync(file) ? readFileSync(file, "utf8") : null));
  return () => {
    restoreFile(tsconfig, before[0], tsconfigOnlyGainedOurIncludes);
    restoreFile(nextEnv, before[1], (after, original) => after.replaceAll(`./${DIST_DIR}/`, "./.next/") === original);
  };
}

/** Builds the app into DIST_DIR and returns the seconds it took; throws with the log's tail if the build fails. */
export function buildApp(): number {
  const restore = keepFilesNextRewrites();
  const started = Date.now();
  const result = spawnSync(path.resolve("node_modules/.bin/next"), ["build"], {
    env: { ...process.env, KEYPORT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  restore();
  if (result.status !== 0) {
    const log = `${result.stdout ?? ""}\n${result.stderr ?? ""}`.trim().split("\n").slice(-30).join("\n");
    throw new Error(`next build failed (exit ${result.status ?? result.signal}):\n${log}`);
  }
  return (Date.now() - started) / 1_000;
}

/** Whether a finished build is already in DIST_DIR (for --skip-build while developing the bench). */
export function hasBuild(): boolean {
  return existsSync(path.resolve(DIST_DIR, "BUILD_ID"));
}
