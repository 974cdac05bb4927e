import { rmSync } from "node:fs";
import path from "node:path";
import { migrateDatabase } from "../scripts/migrate-database";
import { type MicroFigures, type MicroSession, startMicroSession } from "./micro";
import { insertSyntheticKeys } from "./seed";

export interface GrowthRow {
  keys: number;
  seedSeconds: number;
  miss: MicroFigures;
}

/** Real keys the probe presents at every size; the rest of the table is synthetic rows. */
const PROBES = 1_000;
/** The sizes take turns in slices this long, so a burst of load elsewhere lands on all of them. */
const SLICE_SECONDS = 0.5;

/**
 * Verification latency with a cache miss (a real indexed lookup) as the table grows: a fresh
 * SQLite file per size, bulk-seeded with synthetic hashes, then the micro bench's miss mode,
 * which adds its PROBES real keys, so each table holds exactly `size` keys. The sizes are
 * measured in alternating slices rather than one after another.
 */
export async function measureGrowth(workDir: string, sizes: number[], secondsEach: number, log: (line: string) => void): Promise<GrowthRow[]> {
  const files = sizes.map((size) => path.join(workDir, `growth-${size}-${Date.now()}.db`));
  try {
    const seeded: { keys: number; seedSeconds: number; session: MicroSession }[] = [];
    for (const [i, size] of sizes.entries()) {
      await migrateDatabase(`file:${files[i]}`);
      const seedSeconds = insertSyntheticKeys(files[i], Math.max(0, size - PROBES));
      log(`growth: seeded ${(size - Math.min(PROBES, size)).toLocaleString("en-US")} synthetic keys in ${seedSeconds.toFixed(1)} s`);
      const session = await startMicroSession("miss", `file:${files[i]}`, { probes: Math.min(PROBES, size) });
      seeded.push({ keys: size, seedSeconds, session });
    }
    for (let round = 0; round < Math.ceil(secondsEach / SLICE_SECONDS); round++) {
      for (const { session } of seeded) await session.measure(SLICE_SECONDS);
    }
    const rows: GrowthRow[] = [];
    for (const { keys, seedSeconds, session } of seeded) rows.push({ keys, seedSeconds, miss: await session.report() });
    for (const row of rows) log(`growth ${row.keys.toLocaleString("en-US")} keys: miss p50 ${row.miss.p50Us.toFixed(0)} µs, p99 ${row.miss.p99Us.toFixed(0)} µs`);
    return rows;
  } finally {
    for (const file of files) for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
  }
}
