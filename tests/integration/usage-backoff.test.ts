import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { flushKeyUses, keyUseFlushStatus, recordKeyUse } from "@/lib/api-keys/last-used";
import { databaseKind, db } from "@/lib/db";
import { runShutdownHooks } from "@/lib/shutdown";
import { flushUsage, recordUsage, usageRecorder } from "@/lib/usage/usage-recorder";
import { createTestKey, createTestUser } from "../helpers/factories";

// The database really refuses writes: SQLite's query_only on the process's one connection
// (better-sqlite3), as a database file opened read-only would.
const readOnly = (on: boolean) => db.$executeRawUnsafe(`PRAGMA query_only = ${on ? "ON" : "OFF"}`);

afterEach(async () => {
  await readOnly(false);
});

const HOUR = 3_600_000;

// The database is made to refuse writes with SQLite's query_only pragma; the backoff itself
// is the same code on PostgreSQL (the scale suite's database-fault test covers an outage there).
describe.runIf(databaseKind === "sqlite")("usage flushes after a database failure", () => {
  it("the next attempt waits, doubling from 4 s to 60 s, however many requests arrive meanwhile; nothing is lost or counted twice once the database is back", async () => {
    const owner = await createTestUser();
    const { key } = await createTestKey(owner.id);
    let now = Date.UTC(2026, 0, 1);
    const recorder = usageRecorder(`backoff-${randomUUID()}`, () => now);
    const firstHour = now;

    await readOnly(true);
    recorder.record(key.id, 200);
    expect(await recorder.schedule.ifDue()).toBe(true);
    expect(recorder.schedule.status()).toMatchObject({ failures: 1, attempts: 1, retryAt: now + 4_000 });

    // A flood of requests while the database is down: over 5,000 buffered rows, each asking
    // for a write at once. None reaches the database before the backoff ends.
    for (let hour = 1; hour <= 6_000; hour++) recorder.record(key.id, 200, firstHour + hour * HOUR);
    expect(recorder.schedule.status().attempts).toBe(1);

    const waits: number[] = [];
    for (let attempt = 2; attempt <= 7; attempt++) {
      const { retryAt } = recorder.schedule.status();
      now = retryAt - 1;
      expect(await recorder.schedule.ifDue()).toBe(false); // a millisecond early: no attempt
      expect(recorder.schedule.status().attempts).toBe(attempt - 1);
      now = retryAt;
      expect(await recorder.schedule.ifDue()).toBe(true);
      const status = recorder.schedule.status();
      expect(status).toMatchObject({ failures: attempt, attempts: attempt });
      waits.push(status.retryAt - now);
    }
    expect(waits).toEqual([8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(recorder.unwritten()).toBe("6001 usage rows (6001 requests counted, not stored)");

    await readOnly(false);
    now = recorder.schedule.status().retryAt;
    expect(await recorder.schedule.ifDue()).toBe(true);
    expect(recorder.schedule.status()).toMatchObject({ failures: 0, retryAt: 0 });
    expect(recorder.unwritten()).toBeNull();
    const stored = await db.keyUsage.aggregate({ where: { keyId: key.id }, _sum: { success: true }, _count: true });
    expect(stored).toMatchObject({ _count: 6_001, _sum: { success: 6_001 } });
  });

  it("a failed lastUsedAt flush keeps the stamps and backs off too", async () => {
    const owner = await createTestUser();
    const { key } = await createTestKey(owner.id);
    await flushKeyUses(); // whatever other tests left
    await readOnly(true);
    const usedAt = Date.now();
    recordKeyUse(key.id, usedAt);
    await flushKeyUses();
    const failed = keyUseFlushStatus();
    expect(failed.failures).toBeGreaterThanOrEqual(1);
    expect(failed.retryAt).toBeGreaterThan(Date.now());
    await readOnly(false);
    await flushKeyUses();
    expect(keyUseFlushStatus().failures).toBe(0);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt?.getTime()).toBe(Math.floor(usedAt / 1_000) * 1_000);
  });

  it("a shutdown whose writes fail says how many usage rows and lastUsedAt stamps it lost; once the database is back, nothing", async () => {
    const owner = await createTestUser();
    const { key } = await createTestKey(owner.id);
    await Promise.all([flushUsage(), flushKeyUses()]);
    await readOnly(true);
    recordUsage(key.id, 200);
    recordUsage(key.id, 404);
    recordUsage(key.id, 429, Date.now() + HOUR);
    recordKeyUse(key.id, Date.now() + 120_000);
    const lost = await runShutdownHooks();
    expect(lost).toEqual(expect.arrayContaining(["2 usage rows (3 requests counted, not stored)", "1 lastUsedAt stamps"]));

    await readOnly(false);
    expect(await runShutdownHooks()).toEqual([]);
    const stored = await db.keyUsage.aggregate({ where: { keyId: key.id }, _sum: { success: true, clientError: true, rateLimited: true } });
    expect(stored._sum).toEqual({ success: 1, clientError: 1, rateLimited: 1 });
  });
});
