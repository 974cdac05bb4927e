import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { databaseKind, db } from "@/lib/db";

// On SQLite every query shares one connection. A write made by one request while another
// request's transaction is open must not become part of that transaction (and vanish when
// it rolls back), and a read must not see that transaction's uncommitted rows.
describe.runIf(databaseKind === "sqlite")("SQLite: one request's transaction does not swallow another's writes", () => {
  it("a write made while another transaction rolls back survives, and nobody read the rolled-back row", async () => {
    const inside = `inside-${randomUUID()}@example.test`;
    const outside = `outside-${randomUUID()}@example.test`;
    let letItFail!: () => void;
    const gate = new Promise<void>((resolve) => (letItFail = resolve));
    let insideWritten!: () => void;
    const written = new Promise<void>((resolve) => (insideWritten = resolve));

    const failing = db
      .$transaction(async (tx) => {
        await tx.user.create({ data: { email: inside } });
        insideWritten();
        await gate;
        throw new Error("this request fails and rolls back");
      })
      .catch((error: Error) => error.message);

    await written;
    // Another request, while that transaction is open: a read and a write of its own. Prisma's
    // queries are lazy, so `then` sends them now; a few turns of the event loop (no timer)
    // give them every chance to reach the connection before the transaction fails.
    const sawUncommitted = db.user.count({ where: { email: inside } }).then((count) => count);
    const ownWrite = db.user.create({ data: { email: outside } }).then((user) => user);
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    letItFail();

    expect(await failing).toBe("this request fails and rolls back");
    expect(await sawUncommitted).toBe(0);
    await ownWrite;
    expect(await db.user.count({ where: { email: outside } })).toBe(1);
    expect(await db.user.count({ where: { email: inside } })).toBe(0);
  });
});
