import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assertNoRequestOnlyImports, buildCli, entryOf, manifestOf, staleReason } from "@/scripts/cli-build.mjs";
import { startCli } from "../fixtures/cli";

// The run's own database, migrated by the global setup. The builds go to folders of their own
// beside dist/cli, which other runs may be using (inside the project, where the bundle's
// packages resolve from node_modules).
const databaseUrl = process.env.DATABASE_URL!;
const folders: string[] = [];
const temporaryFolder = (parent = path.join(process.cwd(), "dist")) => {
  mkdirSync(parent, { recursive: true });
  const folder = mkdtempSync(path.join(parent, "cli-test-"));
  folders.push(folder);
  return folder;
};
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** `npm run keyport -- …` as package.json runs it: the launcher, with the build in `outDir`. */
function launch(outDir: string, args: string[]) {
  const child = spawn(process.execPath, ["scripts/keyport-cli.mjs", ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, KEYPORT_CLI_DIR: outDir, NODE_ENV: "test" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("the built operator CLI", { timeout: 60_000 }, () => {
  it("a missing build is made first, saying so on stderr; the next run starts from the build without a word", async () => {
    const outDir = temporaryFolder();
    const first = await launch(outDir, ["users", "list"]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("keyport: building the CLI first (it has not been built yet)");
    expect(readFileSync(entryOf(outDir), "utf8")).toContain("Built by scripts/cli-build.mjs");

    const second = await launch(outDir, ["users", "list"]);
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain("building the CLI");
    expect(second.stdout).toBe(first.stdout);
  });

  it("answers as the TypeScript source does", async () => {
    const outDir = temporaryFolder();
    await buildCli(outDir);
    const built = await launch(outDir, ["--help"]);
    const source = await startCli(databaseUrl, ["--help"]).done;
    expect(built.code).toBe(0);
    expect(built.stdout).toContain("users");
    expect(built.stdout).toBe(source.stdout);
  });

  it("a source changed after the build began makes the build stale and is named; so is one that has gone", async () => {
    const outDir = temporaryFolder();
    const { inputs } = await buildCli(outDir);
    expect(inputs).toContain("scripts/keyport.ts");
    expect(inputs.some((input) => input.startsWith("lib/"))).toBe(true);
    expect(inputs.some((input) => input.includes("node_modules"))).toBe(false);
    expect(staleReason(outDir)).toBeNull();

    // A stand-in source (the real ones are other runs' too): listed in the manifest, then edited.
    const manifest = JSON.parse(readFileSync(manifestOf(outDir), "utf8")) as { startedAt: number; inputs: string[] };
    const source = path.join(temporaryFolder(os.tmpdir()), "edited.ts");
    writeFileSync(source, "export {};\n");
    const beforeBuild = new Date(manifest.startedAt - 60_000);
    utimesSync(source, beforeBuild, beforeBuild);
    writeFileSync(manifestOf(outDir), JSON.stringify({ ...manifest, inputs: [...manifest.inputs, source] }));
    expect(staleReason(outDir)).toBeNull();

    const afterBuild = new Date(manifest.startedAt + 1_000);
    utimesSync(source, afterBuild, afterBuild);
    expect(staleReason(outDir)).toBe(`${source} changed since the last build`);

    rmSync(source);
    expect(staleReason(outDir)).toBe(`${source} has gone`);
  });

  it("commands that load lib modules lazily work built too: a password-reset link is printed, not a failed import of next/headers", async () => {
    const outDir = temporaryFolder();
    const email = `cli-built-${Date.now().toString(36)}@example.test`;
    expect((await startCli(databaseUrl, ["users", "create", email], { input: "a long enough passphrase\n" }).done).code).toBe(0);
    for (const args of [["users", "reset-password", email], ["users", "verify-email", email]]) {
      const run = await launch(outDir, args);
      expect(run.stderr).not.toContain("next/headers");
      expect(run.code).toBe(0);
    }
  });

  it("a build that would reach Next.js request code (next/headers) is refused, naming the importer", () => {
    const metafile = { inputs: { "lib/sessions/device-cookie.ts": { imports: [{ path: "next/headers", kind: "import-statement", external: true }] }, "lib/db.ts": { imports: [] } } };
    expect(() => assertNoRequestOnlyImports(metafile)).toThrow("lib/sessions/device-cookie.ts imports next/headers");
    expect(() => assertNoRequestOnlyImports({ inputs: { "lib/db.ts": { imports: [{ path: "@prisma/client", kind: "import-statement", external: true }] } } })).not.toThrow();
  });
});
