import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { acquireLease, releaseLease, renewLease } from "@/lib/leases";

// Named database leases (lib/leases.ts), on the run's database (SQLite or PostgreSQL).
// Each test uses a lease name of its own, so files sharing the database cannot collide.
const t0 = new Date("2030-01-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("database leases", () => {
  it("one holder at a time: the other is refused until the lease runs out, then takes it", async () => {
    const name = `test.${randomUUID()}`;
    expect(await acquireLease(name, "a", 1_000, t0)).toBe(true);
    expect(await acquireLease(name, "b", 1_000, at(999))).toBe(false);
    // The holder renews by acquiring again.
    expect(await acquireLease(name, "a", 1_000, at(500))).toBe(true);
    expect(await acquireLease(name, "b", 1_000, at(1_499))).toBe(false);
    expect(await acquireLease(name, "b", 1_000, at(1_500))).toBe(true);
    expect(await renewLease(name, "a", 1_000, at(1_600))).toBe(false);
    expect(await db.lease.findUniqueOrThrow({ where: { name } })).toMatchObject({ holder: "b", expiresAt: at(2_500) });
  });

  it("release frees the lease at once, and only its holder can release it", async () => {
    const name = `test.${randomUUID()}`;
    expect(await acquireLease(name, "a", 60_000, t0)).toBe(true);
    await releaseLease(name, "b");
    expect(await acquireLease(name, "b", 60_000, at(1))).toBe(false);
    await releaseLease(name, "a");
    expect(await acquireLease(name, "b", 60_000, at(2))).toBe(true);
  });

  it("eight contenders racing for a new lease, and for an expired one: exactly one wins each time", async () => {
    const name = `test.${randomUUID()}`;
    const holders = Array.from({ length: 8 }, (_, i) => `h${i}`);
    const first = await Promise.all(holders.map((holder) => acquireLease(name, holder, 1_000, t0)));
    expect(first.filter(Boolean)).toHaveLength(1);
    const second = await Promise.all(holders.map((holder) => acquireLease(name, `${holder}-again`, 1_000, at(5_000))));
    expect(second.filter(Boolean)).toHaveLength(1);
  });
});
