import { afterAll, describe, expect, it, vi } from "vitest";

// A SQLite file of this test's own, shared by this process and the server it starts.
const databaseUrl = await vi.hoisted(async () => (await import("../fixtures/fresh-database")).useFreshDatabase("graceful-shutdown"));

import { db } from "@/lib/db";
import { migrateDatabase } from "@/scripts/migrate-database";
import { createTestKey, createTestUser } from "../helpers/factories";
import { productionBuildServes } from "../fixtures/production-build";
import { callMe, type Instance, startInstance } from "../scale/instances";

const built = productionBuildServes("/api/v1/me/route", "graceful-shutdown");

let server: Instance | undefined;
afterAll(async () => {
  await server?.stop();
});

describe("stopping a server", () => {
  it.skipIf(!built)("SIGTERM right after a burst of requests still stores every request's usage count and the key's lastUsedAt", async () => {
    await migrateDatabase(databaseUrl);
    const owner = await createTestUser();
    const { key, secret } = await createTestKey(owner.id);
    server = await startInstance("server", { DATABASE_URL: databaseUrl, REDIS_URL: "" });

    const statuses = await Promise.all(Array.from({ length: 25 }, () => callMe(server!, secret).then((call) => call.status)));
    expect(statuses.every((status) => status === 200)).toBe(true);
    // At once: well inside the 1 s and 2 s the server waits before writing its buffers.
    await server.stop();

    const usage = await db.keyUsage.aggregate({ where: { keyId: key.id }, _sum: { success: true } });
    expect(usage._sum.success).toBe(25);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toBeInstanceOf(Date);
    expect(server.logs.filter((line) => /error|warn/i.test(line))).toEqual([]);
  });
});
