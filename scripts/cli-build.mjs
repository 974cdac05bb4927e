// Builds the operator CLI (scripts/keyport.ts) into dist/cli once, so `npm run keyport -- …`
// starts plain JavaScript instead of compiling TypeScript on every run (about 16 s on a busy
// 2-core machine through tsx). Run by `npm install` (postinstall) and `npm run build`; the
// launcher (scripts/keyport-cli.mjs) rebuilds first when a source is newer than the build.
// Plain .mjs with no TypeScript: it must run before anything is compiled.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
/** Where the CLI is built: dist/cli, or (for the tests, which must not disturb it) KEYPORT_CLI_DIR. */
export const CLI_DIR = process.env.KEYPORT_CLI_DIR ? path.resolve(process.env.KEYPORT_CLI_DIR) : path.join(root, "dist", "cli");

export const entryOf = (outDir = CLI_DIR) => path.join(outDir, "keyport.mjs");
/** The files the last build read (relative to the project root) and when it began: what makes it stale. */
export const manifestOf = (outDir = CLI_DIR) => path.join(outDir, "inputs.json");

/**
 * Why the built CLI cannot be used as it is, or null when it can: missing, or one of the
 * sources it was built from changed after that build began (or has gone).
 */
export function staleReason(outDir = CLI_DIR) {
  let builtAt;
  let inputs;
  try {
    statSync(entryOf(outDir));
    ({ startedAt: builtAt, inputs } = JSON.parse(readFileSync(manifestOf(outDir), "utf8")));
  } catch {
    return "it has not been built yet";
  }
  for (const input of inputs) {
    let modified;
    try {
      modified = statSync(path.resolve(root, input)).mtimeMs;
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

/**
 * The CLI runs outside Next.js, where `next/headers` and the like cannot even be imported
 * (Node wants "next/headers.js"): a lib module that reads cookies, reached from a command,
 * would break that command, and only when run built. Refused here, naming the importers.
 */
export function assertNoRequestOnlyImports(metafile) {
  const importers = Object.entries(metafile.inputs).flatMap(([input, { imports }]) =>
    imports.filter((imported) => imported.external && /^next(\/|$)/.test(imported.path)).map((imported) => `${input} imports ${imported.path}`),
  );
  if (importers.length) throw new Error(`The CLI must not reach Next.js request code: ${importers.join("; ")}. Move what the CLI needs into a module without it.`);
}

/** Bundles scripts/keyport.ts and the project's own modules; packages stay in node_modules. */
export async function buildCli(outDir = CLI_DIR) {
  // The sources as they were when the build began: an edit made during it counts as newer.
  const startedAt = Date.now();
  const { build } = await import("esbuild");
  const result = await build({
    absWorkingDir: root,
    entryPoints: { keyport: "scripts/keyport.ts" },
    outdir: outDir,
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
  assertNoRequestOnlyImports(result.metafile);
  const chunks = path.join(outDir, "chunks");
  mkdirSync(chunks, { recursive: true });
  const written = new Set();
  // Chunks first (their names carry their hash), the entry and the manifest last.
  const isEntry = (output) => Number(output.path === entryOf(outDir));
  for (const output of [...result.outputFiles].sort((a, b) => isEntry(a) - isEntry(b))) {
    writeAtomically(output.path, output.contents);
    written.add(output.path);
  }
  for (const name of readdirSync(chunks)) {
    if (!written.has(path.join(chunks, name))) rmSync(path.join(chunks, name), { force: true });
  }
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes("node_modules"));
  writeAtomically(manifestOf(outDir), `${JSON.stringify({ startedAt, inputs }, null, 2)}\n`);
  return { inputs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const { inputs } = await buildCli();
  console.error(`Built the keyport CLI into ${path.relative(process.cwd(), entryOf())} from ${inputs.length} files in ${Math.round(performance.now() - started)} ms.`);
}
