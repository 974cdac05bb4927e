import Database from "better-sqlite3";
import { beforeAll, describe, expect, it, vi } from "vitest";

// A SQLite file of this test's own, shared by this process and the servers it starts.
const databaseUrl = await vi.hoisted(async () => (await import("../fixtures/fresh-database")).useFreshDatabase("usage-backoff-server"));

import { migrateDatabase } from "@/scripts/migrate-database";
import { requireProductionBuild } from "../fixtures/production-build";
import { startServerProcess } from "../fixtures/server-process";
import { createTestKey, createTestUser } from "../helpers/factories";

requireProductionBuild("/api/v1/me/route");

beforeAll(async () => {
  await migrateDatabase(databaseUrl);
});

/** Makes the database refuse the buffered writes (usage rows, lastUsedAt) for every connection, or take them again. */
function refuseBufferedWrites(refuse: boolean) {
  const sqlite = new Database(databaseUrl.replace(/^file:/, ""));
  try {
    if (refuse) {
      sqlite.exec(`CREATE TRIGGER refuse_usage BEFORE INSERT ON "KeyUsage" BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
                   CREATE TRIGGER refuse_last_used BEFORE UPDATE OF "lastUsedAt" ON "ApiKey" BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`);
    } else {
      sqlite.exec("DROP TRIGGER refuse_usage; DROP TRIGGER refuse_last_used;");
    }
  } finally {
    sqlite.close();
  }
}

describe("npm start's shutdown (scripts/serve.mjs)", () => {
  it("a shutdown that cannot write its buffers exits non-zero and says on stderr how many usage rows and lastUsedAt stamps it lost; one that can exits 0", async () => {
    const owner = await createTestUser();
    const { secret } = await createTestKey(owner.id);
    const call = (url: string) => fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } }).then((response) => response.status);

    refuseBufferedWrites(true);
    const failing = await startServerProcess({ DATABASE_URL: databaseUrl });
    expect(await Promise.all([call(failing.url), call(failing.url), call(failing.url)])).toEqual([200, 200, 200]);
    const failed = await failing.stop();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^\[keyport\] shutdown: the database refused the buffered writes; lost .+\.$/m);
    expect(failed.stderr).toContain("1 usage rows (3 requests counted, not stored)");
    expect(failed.stderr).toContain("1 lastUsedAt stamps");

    refuseBufferedWrites(false);
    const working = await startServerProcess({ DATABASE_URL: databaseUrl });
    expect(await call(working.url)).toBe(200);
    const stopped = await working.stop();
    expect(stopped.code, stopped.stderr).toBe(0);
  });
});
