// Builds the operator CLI (scripts/keyport.ts) into dist/cli once, so `npm run keyport -- …`
// starts plain JavaScript instead of compiling TypeScript on every run (about 16 s on a busy
// 2-core machine through tsx). Run by `npm install` (postinstall) and `npm run build`; the
// launcher (scripts/keyport-cli.mjs) rebuilds first when a source is newer than the build.
// Plain .mjs with no TypeScript: it must run before anything is compiled.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
export const CLI_DIR = path.join(root, "dist", "cli");
export const CLI_ENTRY = path.join(CLI_DIR, "keyport.mjs");
/** The files the last build read, relative to the project root: what makes it stale. */
const MANIFEST = path.join(CLI_DIR, "inputs.json");

/**
 * Why the built CLI cannot be used as it is, or null when it can: missing, or older than one
 * of the sources it was built from (or one of them has gone).
 */
export function staleReason() {
  let builtAt;
  let inputs;
  try {
    statSync(CLI_ENTRY);
    ({ startedAt: builtAt, inputs } = JSON.parse(readFileSync(MANIFEST, "utf8")));
  } catch {
    return "it has not been built yet";
  }
  for (const input of inputs) {
    let modified;
    try {
      modified = statSync(path.join(root, input)).mtimeMs;
    } catch {
      return `${input} has gone`;
    }
    if (modified > builtAt) return `${input} changed since the last build`;
  }
  return null;
}

/** Writes a file whole or not at all: a CLI started meanwhile reads the old build or the new one. */
function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

/** Bundles scripts/keyport.ts and the project's own modules; packages stay in node_modules. */
export async function buildCli() {
  // The sources as they were when the build began: an edit made during it counts as newer.
  const startedAt = Date.now();
  const { build } = await import("esbuild");
  const result = await build({
    absWorkingDir: root,
    entryPoints: { keyport: "scripts/keyport.ts" },
    outdir: CLI_DIR,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    // Chunks keep the CLI's lazy imports lazy: lib/env (and its configuration check) loads
    // inside a command, Redis only when REDIS_URL is set.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    tsconfig: "tsconfig.json",
    metafile: true,
    write: false,
    logLevel: "warning",
    banner: { js: "// Built by scripts/cli-build.mjs from scripts/keyport.ts: edit the sources, not this file." },
  });
  mkdirSync(path.join(CLI_DIR, "chunks"), { recursive: true });
  const written = new Set();
  // Chunks first (their names carry their hash), the entry and the manifest last.
  const outputs = [...result.outputFiles].sort((a, b) => Number(a.path === path.join(CLI_DIR, "keyport.mjs")) - Number(b.path === path.join(CLI_DIR, "keyport.mjs")));
  for (const output of outputs) {
    writeAtomically(output.path, output.contents);
    written.add(output.path);
  }
  for (const name of readdirSync(path.join(CLI_DIR, "chunks"))) {
    const file = path.join(CLI_DIR, "chunks", name);
    if (!written.has(file)) rmSync(file, { force: true });
  }
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes("node_modules"));
  writeAtomically(MANIFEST, `${JSON.stringify({ startedAt, inputs }, null, 2)}\n`);
  return { inputs };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const { inputs } = await buildCli();
  console.error(`Built the keyport CLI into ${path.relative(process.cwd(), CLI_ENTRY)} from ${inputs.length} files in ${Math.round(performance.now() - started)} ms.`);
}
