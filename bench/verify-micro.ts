// The in-process microbenchmark of verifyApiKey, one mode per process: lib/env reads the
// environment at import, so bench/micro.ts starts this file with each mode's own env
// (KEY_CACHE_TTL_MS=0 for the miss mode). Prints JSON lines of figures; never a secret.
//
//   tsx bench/verify-micro.ts <hit|miss|malformed|unknown|unknown-repeat> [--session]
//   env: DATABASE_URL (migrated), MICRO_SECONDS (default 3), MICRO_PROBES (default 1000)
//
// With --session it prepares, prints {"ready":true}, then takes commands on stdin:
// "measure <seconds>" adds that long to its samples, "report" prints the figures and exits.
// The growth test uses this to interleave several table sizes, so the machine's noise
// falls on all of them alike.
import { createInterface } from "node:readline";
import { generateApiKey } from "../lib/api-keys/key-format";
import { type VerifyFailureReason, verifyApiKey } from "../lib/api-keys/verify-api-key";
import { databaseKind, db } from "../lib/db";
import { env } from "../lib/env";
import { MICRO_MODES, type MicroFigures, type MicroMode } from "./micro";
import { insertKeys } from "./seed";

const SCOPES = ["me:read"];
const MAX_SAMPLES = 4_000_000;

/** Inputs that fail on shape or checksum: never reach the cache or the database. */
function malformedInputs(valid: string): string[] {
  const flipped = valid.slice(0, -1) + (valid.endsWith("A") ? "B" : "A");
  return [
    flipped, // right shape, wrong checksum
    valid.slice(0, -3), // too short
    `${valid}${valid}`, // too long
    valid.replace("kp_", "xx_"), // another prefix
    valid.replace(/[A-Za-z0-9]$/, "!"), // a character outside base62
    "not-a-key",
  ];
}

/** What one mode presents on its i-th call, what it must get back, and how many untimed calls warm it up. */
interface Workload {
  next: (i: number) => string;
  expect: "ok" | VerifyFailureReason;
  warmup: number;
}

async function prepare(mode: MicroMode): Promise<Workload> {
  const probeCount = Number(process.env.MICRO_PROBES ?? 1_000);
  const probes = await insertKeys(db, mode === "miss" ? probeCount : 1, `micro-${mode}`);
  switch (mode) {
    case "hit":
      return { next: () => probes[0], expect: "ok", warmup: 1_000 };
    case "miss":
      // One full pass first, so each probe's once-a-minute lastUsedAt write is paid before timing.
      return { next: (i) => probes[i % probes.length], expect: "ok", warmup: probes.length };
    case "malformed": {
      const inputs = malformedInputs(probes[0]);
      return { next: (i) => inputs[i % inputs.length], expect: "malformed", warmup: 1_000 };
    }
    case "unknown":
      // A fresh checksum-valid key every call: each one misses the negative cache and reads the index.
      return { next: () => generateApiKey("kp", "live").secret, expect: "unknown", warmup: 200 };
    case "unknown-repeat": {
      const unknown = generateApiKey("kp", "live").secret;
      return { next: () => unknown, expect: "unknown", warmup: 1_000 };
    }
  }
}

const samples = new Float64Array(MAX_SAMPLES);
let taken = 0;
let calls = 0;

async function call(workload: Workload): Promise<number> {
  const input = workload.next(calls++);
  const started = process.hrtime.bigint();
  const result = await verifyApiKey(input, { scopes: SCOPES });
  const elapsed = Number(process.hrtime.bigint() - started);
  const outcome = result.ok ? "ok" : result.reason;
  if (outcome !== workload.expect) throw new Error(`expected ${workload.expect}, got ${outcome}`);
  return elapsed;
}

async function sample(workload: Workload, seconds: number) {
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  while (taken < MAX_SAMPLES && process.hrtime.bigint() < deadline) samples[taken++] = await call(workload);
}

async function figures(mode: MicroMode): Promise<MicroFigures> {
  const sorted = samples.slice(0, taken).sort();
  const at = (q: number) => sorted[Math.min(taken - 1, Math.floor(q * taken))] / 1_000;
  const meanNs = sorted.reduce((sum, value) => sum + value, 0) / taken;
  return {
    mode,
    database: databaseKind,
    keyRows: await db.apiKey.count(),
    cacheTtlMs: env.KEY_CACHE_TTL_MS,
    iterations: taken,
    opsPerSecond: 1e9 / meanNs,
    p50Us: at(0.5),
    p99Us: at(0.99),
    maxUs: sorted[taken - 1] / 1_000,
  };
}

async function main() {
  const mode = process.argv[2] as MicroMode;
  if (!MICRO_MODES.includes(mode)) throw new Error(`mode must be one of ${MICRO_MODES.join(", ")}`);
  if (mode === "miss" && env.KEY_CACHE_TTL_MS !== 0) throw new Error("the miss mode needs KEY_CACHE_TTL_MS=0");
  const workload = await prepare(mode);
  for (let i = 0; i < workload.warmup; i++) await call(workload);

  if (!process.argv.includes("--session")) {
    await sample(workload, Number(process.env.MICRO_SECONDS ?? 3));
    console.log(JSON.stringify(await figures(mode)));
    return;
  }
  console.log(JSON.stringify({ ready: true }));
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, argument] = line.trim().split(/\s+/);
    if (command === "measure") {
      await sample(workload, Number(argument));
      console.log(JSON.stringify({ done: true }));
    } else if (command === "report") {
      console.log(JSON.stringify(await figures(mode)));
      return;
    }
  }
}

main().then(
  async () => {
    await db.$disconnect();
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
