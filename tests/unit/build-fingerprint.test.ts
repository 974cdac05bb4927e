import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildFingerprint, buildState, recordBuild } from "@/scripts/build-if-changed.mjs";

// A small project tree of its own: the fingerprint never depends on the real checkout here.
let root: string;
const write = (file: string, content: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), content);
};

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "keyport-fingerprint-"));
  write("app/page.tsx", "export default function Page() { return null; }\n");
  write("lib/env.ts", "export const env = {};\n");
  write("lib/generated/sqlite/client.ts", "export class PrismaClient {}\n");
  write("public/logo.svg", "<svg/>\n");
  write("next.config.js", "module.exports = {};\n");
  write("package-lock.json", '{"lockfileVersion":3}\n');
  write("data/keyport.db", "rows");
  write("tests/unit/a.test.ts", "test");
  write("scripts/serve.mjs", "serve");
  write("README.md", "# Keyport");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("the build fingerprint", () => {
  it("is the same for the same files", () => {
    expect(buildFingerprint(root)).toBe(buildFingerprint(root));
  });

  it("changes when a source file's content changes, or a source is added or removed", () => {
    const before = buildFingerprint(root);
    write("app/page.tsx", "export default function Page() { return 'hi'; }\n");
    const edited = buildFingerprint(root);
    expect(edited).not.toBe(before);
    write("components/new.tsx", "export {};\n");
    expect(buildFingerprint(root)).not.toBe(edited);
    rmSync(path.join(root, "components/new.tsx"));
    expect(buildFingerprint(root)).toBe(edited);
  });

  it("changes when the dependencies, the Next configuration, public/ or the generated client change", () => {
    for (const [file, content] of [
      ["package-lock.json", '{"lockfileVersion":3,"packages":{}}\n'],
      ["next.config.js", "module.exports = { poweredByHeader: false };\n"],
      ["public/logo.svg", "<svg></svg>\n"],
      ["lib/generated/sqlite/client.ts", "export class PrismaClient { x = 1 }\n"],
    ]) {
      const before = buildFingerprint(root);
      write(file, content);
      expect(buildFingerprint(root), file).not.toBe(before);
    }
  });

  it("does not change with data/, tests, scripts run outside the build, docs or a .env file", () => {
    const before = buildFingerprint(root);
    write("data/keyport.db", "more rows");
    write("data/keyport.db-wal", "wal");
    write("tests/unit/a.test.ts", "another test");
    write("scripts/serve.mjs", "serve differently");
    write("README.md", "# Keyport, documented");
    write(".env", "ADMIN_EMAILS=ops@example.com");
    write(".next/BUILD_ID", "abc");
    expect(buildFingerprint(root)).toBe(before);
  });

  it("a build is up to date only when its recorded fingerprint matches the sources", () => {
    expect(buildState(root, ".next")).toMatchObject({ upToDate: false, reason: "no build yet: building" });
    // A finished build with no fingerprint (made by plain `next build`) is not trusted.
    write(".next/BUILD_ID", "abc");
    expect(buildState(root, ".next")).toMatchObject({ upToDate: false, reason: "sources changed: building" });

    recordBuild(root, ".next", buildFingerprint(root));
    expect(buildState(root, ".next")).toMatchObject({ upToDate: true, reason: "sources unchanged since the last build: starting" });
    write("data/keyport.db", "a restart with new data");
    expect(buildState(root, ".next").upToDate).toBe(true);

    write("lib/env.ts", "export const env = { changed: true };\n");
    expect(buildState(root, ".next")).toMatchObject({ upToDate: false, reason: "sources changed: building" });
  });
});
