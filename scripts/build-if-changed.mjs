// What `npm start` runs before serving: `next build` only when what the build reads changed
// since the last successful build. A restart, or a change of configuration read at run time
// (ADMIN_EMAILS, DATABASE_URL, …: lib/env.ts reads it when the server starts, and nothing
// bakes it into the build: no NEXT_PUBLIC_ variable, no `env` in next.config.js, every page
// renders per request), then starts in seconds instead of waiting minutes for a build.
//
// The fingerprint is a hash of the content (not the times) of every file the build reads:
// the project's sources, public/, the generated Prisma client, the configuration files and
// package-lock.json (the dependencies). Data, tests, scripts run outside the build and docs
// are left out. It is written into the build folder only after a build succeeds, and
// `next build` empties that folder first, so a failed build is never taken for a good one.
// Plain .mjs: it runs before anything is compiled.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Folders and files the build does not read (or writes itself), by name anywhere in the tree. */
const SKIPPED_NAMES = new Set([
  "node_modules",
  ".git",
  ".next",
  "data",
  "dist",
  "tests",
  "test-results",
  "playwright-report",
  "blob-report",
  "bench",
  // The client packages (npm workspaces): published on their own, never imported by the app.
  "clients",
  "scripts",
  "migrations",
  "next-env.d.ts",
  ".gitignore",
  "playwright.config.ts",
  "vitest.config.mts",
  "vitest.scale.config.mts",
]);
const SKIPPED_FILE = /(\.md|\.tsbuildinfo|\.log)$|^\.env/;
const FINGERPRINT_FILE = "keyport-build-fingerprint";

function* buildInputs(root, folder = root) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (SKIPPED_NAMES.has(entry.name)) continue;
    // Other folders starting with a dot (editors', tools') are not the app's either.
    if (entry.name.startsWith(".") && entry.isDirectory()) continue;
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* buildInputs(root, file);
    else if (entry.isFile() && !SKIPPED_FILE.test(entry.name)) yield path.relative(root, file).split(path.sep).join("/");
  }
}

/** A hash of the names and content of every file the build reads under `root`. */
export function buildFingerprint(root) {
  const hash = createHash("sha256");
  for (const file of [...buildInputs(root)].sort()) {
    hash.update(`${file}\0`);
    hash.update(createHash("sha256").update(readFileSync(path.join(root, file))).digest("hex"));
    hash.update("\n");
  }
  return hash.digest("hex");
}

/** Whether `distDir` holds a finished build of exactly these sources, and why not. */
export function buildState(root, distDir) {
  const fingerprint = buildFingerprint(root);
  const folder = path.resolve(root, distDir);
  if (!existsSync(path.join(folder, "BUILD_ID"))) return { fingerprint, upToDate: false, reason: "no build yet: building" };
  let previous = null;
  try {
    previous = readFileSync(path.join(folder, FINGERPRINT_FILE), "utf8").trim();
  } catch {
    // A build from before this script (or an interrupted one) has no fingerprint: rebuild.
  }
  return previous === fingerprint
    ? { fingerprint, upToDate: true, reason: "sources unchanged since the last build: starting" }
    : { fingerprint, upToDate: false, reason: "sources changed: building" };
}

/** Records that the build in `distDir` was made from the sources with this fingerprint. */
export function recordBuild(root, distDir, fingerprint) {
  writeFileSync(path.join(path.resolve(root, distDir), FINGERPRINT_FILE), `${fingerprint}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.cwd();
  // next.config.js builds into KEYPORT_DIST_DIR when it is set (the benchmark's own folder).
  const distDir = process.env.KEYPORT_DIST_DIR || ".next";
  // --always (npm run build) builds whatever the fingerprint says, and records it, so the next
  // `npm start` does not build the same sources again.
  const always = process.argv.includes("--always");
  const { fingerprint, upToDate, reason } = buildState(root, distDir);
  console.log(`keyport: ${always ? "building (npm run build always does)" : reason}`);
  if (always || !upToDate) {
    const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
    const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit" });
    if (build.status !== 0) process.exit(build.status ?? 1);
    recordBuild(root, distDir, fingerprint);
  }
}
