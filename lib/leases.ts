import { randomUUID } from "node:crypto";
import { db as defaultDb, type Db } from "./db";

/**
 * Named leases in the database (the Lease table), so that periodic work (key-expiry
 * reminders) is done by one instance at a time however many run. A lease is held until its
 * expiresAt; the holder renews it while working, and another instance may take it once it
 * has run out (the holder crashed). Each step is one conditional statement, atomic on
 * SQLite and PostgreSQL alike.
 */

/** This process's name as a lease holder: random, so two instances never share one. */
export const processHolder = `${process.pid}-${randomUUID()}`;

function isUniqueViolation(error: unknown) {
  return (error as { code?: string })?.code === "P2002";
}

/**
 * Takes the lease `name` for `holder` until now + ttlMs, or renews it if the holder already
 * has it. Returns false while another holder's lease is still running.
 */
export async function acquireLease(name: string, holder: string, ttlMs: number, now = new Date(), db: Db = defaultDb): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  // Ours already, or someone's that has run out: the WHERE decides, in one statement.
  const { count } = await db.lease.updateMany({
    where: { name, OR: [{ holder }, { expiresAt: { lte: now } }] },
    data: { holder, expiresAt },
  });
  if (count === 1) return true;
  try {
    // No row yet: the primary key lets exactly one of several instances create it.
    await db.lease.create({ data: { name, holder, expiresAt } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Extends a lease the holder still has; false if it was lost (it ran out and another took it). */
export async function renewLease(name: string, holder: string, ttlMs: number, now = new Date(), db: Db = defaultDb): Promise<boolean> {
  const { count } = await db.lease.updateMany({ where: { name, holder }, data: { expiresAt: new Date(now.getTime() + ttlMs) } });
  return count === 1;
}

/** Gives the lease up at once (a clean stop), if this holder still has it. */
export async function releaseLease(name: string, holder: string, db: Db = defaultDb): Promise<void> {
  await db.lease.deleteMany({ where: { name, holder } });
}
