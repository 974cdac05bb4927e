// What `npm run keyport -- …` runs: the CLI as built by scripts/cli-build.mjs, rebuilt first
// when it is missing or older than its sources, so an edit to scripts/keyport.ts or lib/ is
// never run stale. Notes go to stderr; stdout stays the command's own.
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import { buildCli, entryOf, staleReason } from "./cli-build.mjs";

// Prisma's query compiler is WebAssembly. V8 compiles it twice by default, quickly and then
// optimized in the background; a CLI command is over before the second pays off, and on a
// busy machine that compile competes for the CPU: the quick tier alone halves the CPU a
// command takes (about 0.66 s to 0.35 s for `users list`).
v8.setFlagsFromString("--liftoff-only");

const reason = staleReason();
if (reason) {
  console.error(`keyport: building the CLI first (${reason})…`);
  await buildCli();
}
await import(pathToFileURL(entryOf()).href);
