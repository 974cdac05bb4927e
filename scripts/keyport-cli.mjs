// What `npm run keyport -- …` runs: the CLI as built by scripts/cli-build.mjs, rebuilt first
// when it is missing or older than its sources, so an edit to scripts/keyport.ts or lib/ is
// never run stale. Notes go to stderr; stdout stays the command's own.
import { pathToFileURL } from "node:url";
import { buildCli, entryOf, staleReason } from "./cli-build.mjs";

const reason = staleReason();
if (reason) {
  console.error(`keyport: building the CLI first (${reason})…`);
  await buildCli();
}
await import(pathToFileURL(entryOf()).href);
