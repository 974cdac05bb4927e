// npm run bench [-- --scale] – key verification against the no-auth ceiling and against the
// seed tutorial's bcrypt-per-request approach, in one sitting so the ratios hold on a noisy
// machine. Builds into bench/.work/next (never .next), starts the production server
// (scripts/serve.mjs, what `npm start` runs, through tests/scale/instances.ts) on a fresh
// database of its own (SQLite under bench/.work/, or with --scale a fresh PostgreSQL
// database plus Redis and two instances), seeds the keys, drives autocannon, times the
// TypeScript client's verify round trip (bench/client-verify.ts), then runs the
// verifyApiKey micro bench and (embedded) the growth test. Prints a table and writes
// bench/RESULTS.md (bench/RESULTS-scale.md with --scale). Secrets stay in this process.
//
// Options: --scale, --duration <s> (default 10), --connections <n> (default 10),
//          --skip-build (reuse bench/.work/next), --quick (short, for developing the bench;
//          writes bench/.work/RESULTS-quick.md instead), --profile (instead of the rest: the
//          server under --cpu-prof for (c), (c'), (a), (b'), (b) and (e); writes bench/PROFILE.md).
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startInstance, type Instance } from "../tests/scale/instances";
import { buildApp, DIST_DIR, hasBuild, keepFilesNextRewrites } from "./build";
import { measureClientVerify } from "./client-verify";
import { measureGrowth } from "./growth";
import { MICRO_MODES, type MicroFigures, runMicro } from "./micro";
import { type BenchRun, describeMachine, renderMarkdown, renderText } from "./report";
import { profileScenarios, renderProfile } from "./profile";
import { runScenarios } from "./scenarios";
import { migrateDatabase } from "../scripts/migrate-database";
import { type BenchKeys, prepareServerDatabase } from "./seed";

const WORK_DIR = path.resolve("bench/.work");
const COLD_KEYS = 10_000;
/** Small enough that cycling COLD_KEYS through it misses every time; the hot key stays in it. */
const CACHE_ENTRIES = 1_000;
/** The most lib/env accepts (10,000,000 a minute, about 166,000 a second): the bench's keys are never limited. */
const RATE_LIMIT = 10_000_000;

const { values: options } = parseArgs({
  options: {
    scale: { type: "boolean", default: false },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    "skip-build": { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
  },
});
const quick = options.quick;
const durationSeconds = quick ? 3 : Number(options.duration);
const connections = Number(options.connections);
const log = (line: string) => console.error(`[bench] ${line}`);

/** Work to undo however the run ends: servers to stop, a database to drop. Run last-in first-out. */
const cleanups: Array<() => Promise<void>> = [];
async function cleanUp() {
  while (cleanups.length) await cleanups.pop()!().catch((error: unknown) => log(`clean-up step failed: ${String(error)}`));
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping servers and cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const postgresServer = (process.env.SCALE_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432").replace(/\/+$/, "");
const redisUrl = process.env.SCALE_REDIS_URL || "redis://127.0.0.1:6379";

async function postgresAdmin(sql: string) {
  const client = new pg.Client({ connectionString: `${postgresServer}/postgres`, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database for this run: a SQLite file under bench/.work/, or a new PostgreSQL database dropped at the end. */
async function createDatabase(stamp: string): Promise<string> {
  if (!options.scale) {
    const file = path.join(WORK_DIR, `bench-${stamp}.db`);
    cleanups.push(async () => {
      for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
    });
    return `file:${file}`;
  }
  const name = `keyport_bench_${stamp}`;
  await postgresAdmin(`CREATE DATABASE "${name}"`);
  cleanups.push(() => postgresAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  return `${postgresServer}/${name}`;
}

/** The server's environment: the bench routes on, no rate limit in the way, a bounded cache. */
function serverEnv(databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    KEYPORT_DIST_DIR: DIST_DIR,
    KEYPORT_BENCH: "1",
    RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    SERVICE_KEY_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    // The flood rows measure what an unknown key costs; the per-IP throttle would answer them instead.
    UNKNOWN_KEYS_PER_IP_PER_MINUTE: String(RATE_LIMIT),
    KEY_CACHE_MAX_ENTRIES: String(CACHE_ENTRIES),
    KEY_CACHE_TTL_MS: "5000",
    REDIS_URL: options.scale ? redisUrl : "",
  };
}

async function startServers(databaseUrl: string): Promise<Instance[]> {
  const env = serverEnv(databaseUrl);
  const count = options.scale ? 2 : 1;
  const instances: Instance[] = [];
  for (let i = 0; i < count; i++) {
    const instance = await startInstance(`bench-${i + 1}`, env);
    instances.push(instance);
    cleanups.push(() => instance.stop());
  }
  return instances;
}

/** --profile: each scenario on a profiled server of its own; writes bench/PROFILE.md. */
async function writeProfile(keys: BenchKeys, databaseUrl: string, stamp: string) {
  // Only the latest raw profiles are kept (open them in Chrome DevTools); they run to tens of MB.
  rmSync(path.join(WORK_DIR, "profiles"), { recursive: true, force: true });
  const results = await profileScenarios(keys, {
    serverEnv: serverEnv(databaseUrl),
    profileDir: path.join(WORK_DIR, "profiles", stamp),
    durationSeconds,
    connections,
    log,
  });
  const machine = describeMachine();
  const header = [
    `# Where a request's time goes: CPU profiles of the server (${options.scale ? "PostgreSQL + Redis" : "SQLite"})`,
    "",
    "Written by `npm run bench -- --profile`: each scenario on a fresh production server (scripts/serve.mjs) under `--cpu-prof` (500 µs sampling),",
    `${durationSeconds} s and ${connections} connections of autocannon after a 2 s warm-up; only samples inside the measured window count,`,
    "divided by the requests served in it. The profiler itself slows the server, so compare rows, not absolute req/s.",
    "",
    `- Date: ${new Date().toISOString()}; machine: ${machine.cores} cores, ${machine.cpuModel}; Node.js ${machine.node}; load average at the end ${os.loadavg().map((v) => v.toFixed(2)).join(" / ")}`,
  ];
  writeFileSync(path.resolve("bench/PROFILE.md"), renderProfile(results, header));
  log("wrote bench/PROFILE.md");
}

async function main() {
  const startedAt = new Date();
  const loadStart = os.loadavg();
  mkdirSync(WORK_DIR, { recursive: true });
  const stamp = `${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  // First in, so it runs last: after the servers, which rewrite these files too, have stopped.
  const restoreFiles = keepFilesNextRewrites();
  cleanups.push(async () => restoreFiles());

  let buildSeconds: number | null = null;
  if (options["skip-build"] && hasBuild()) {
    log(`reusing the build in ${DIST_DIR}`);
  } else {
    log(`next build into ${DIST_DIR} ...`);
    buildSeconds = buildApp();
    log(`built in ${buildSeconds.toFixed(0)} s`);
  }

  const databaseUrl = await createDatabase(stamp);
  const seedStarted = Date.now();
  const keys = await prepareServerDatabase(databaseUrl, COLD_KEYS);
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  log(`migrated and seeded ${COLD_KEYS + 1} keys and the tutorial's bcrypt row in ${seedSeconds.toFixed(1)} s`);

  if (options.profile) return writeProfile(keys, databaseUrl, stamp);

  const instances = await startServers(databaseUrl);
  log(`${instances.length} server(s) up: ${instances.map((instance) => instance.url).join(", ")}`);
  const pacedShare = 0.3;
  const { figures: scenarios, cold } = await runScenarios(keys, {
    targets: instances.map((instance) => instance.url),
    connections,
    durationSeconds,
    pacedShare,
    cacheEntries: CACHE_ENTRIES,
    log,
  });
  const clientVerify = await measureClientVerify(instances[0].url, keys.service, keys.hot, quick ? 1 : 3);
  for (const row of clientVerify) log(`client verifyKey, ${row.mode}: p50 ${row.p50Us.toFixed(0)} µs, p99 ${row.p99Us.toFixed(0)} µs`);
  // What the servers said: the lines that explain a 5xx (a database timeout, Redis away) if any.
  // Key-shaped strings are masked, so a log line can never carry a secret into the results.
  const serverNotes = instances
    .flatMap((instance) => instance.logs)
    .filter((line) => /warn|error|unavailable|timeout/i.test(line))
    .map((line) => line.replace(/\b(kp_(?:live|test)_|MV_SECRET_)[0-9A-Za-z]+/g, "$1…"));
  for (const line of serverNotes.slice(0, 10)) log(`server: ${line.slice(0, 300)}`);
  for (const instance of instances.splice(0)) await instance.stop();

  const micro: MicroFigures[] = [];
  const microUrl = options.scale ? databaseUrl : await createDatabase(`${stamp}_micro`);
  if (!options.scale) await migrateDatabase(microUrl);
  for (const mode of MICRO_MODES) {
    const figures = await runMicro(mode, microUrl, { seconds: quick ? 1 : 3 });
    log(`micro ${mode}: p50 ${figures.p50Us.toFixed(1)} µs, p99 ${figures.p99Us.toFixed(1)} µs`);
    micro.push(figures);
  }

  const growth = options.scale ? null : await measureGrowth(WORK_DIR, quick ? [1_000, 100_000] : [1_000, 100_000, 1_000_000], quick ? 1 : 5, log);

  const args = process.argv.slice(2);
  const run: BenchRun = {
    mode: options.scale ? "scale" : "embedded",
    command: `npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}`,
    startedAt,
    finishedAt: new Date(),
    machine: describeMachine(),
    loadAverage: { start: loadStart, end: os.loadavg() },
    buildSeconds,
    seedSeconds,
    setup: [
      options.scale
        ? `Servers: 2 × the production server (scripts/serve.mjs, what \`npm start\` runs: Next.js's request handler on node:http; NODE_ENV=production) on a fresh PostgreSQL database at ${postgresServer.replace(/\/\/[^@/]*@/, "//…@")} (created for the run, dropped after it) with Redis at ${redisUrl} (shared rate limits, revocation broadcast)`
        : "Server: 1 × the production server (scripts/serve.mjs, what `npm start` runs: Next.js's request handler on node:http; NODE_ENV=production) on a fresh SQLite file under bench/.work/ (deleted after the run)",
      `Server settings: KEYPORT_BENCH=1 (serves /api/bench/noop, /api/bench/shaped and /api/bench/tutorial), RATE_LIMIT_PER_MINUTE and UNKNOWN_KEYS_PER_IP_PER_MINUTE=${RATE_LIMIT.toLocaleString("en-US")} (the most lib/env accepts: the flood rows measure what an unknown key costs, not the throttle that would refuse them), KEY_CACHE_TTL_MS=5000, KEY_CACHE_MAX_ENTRIES=${CACHE_ENTRIES.toLocaleString("en-US")}: the cache is bounded, so cycling more keys than that in turn (one rotation across all connections${options.scale ? ", per instance" : ""}) misses on every request, while the hot key stays cached`,
      `Cold keys: the first-use pass (b') sent each of the ${COLD_KEYS.toLocaleString("en-US")} cold keys once${options.scale ? " to each instance" : ""} in ${cold.firstUseSeconds.toFixed(0)} s; every one of those requests also wrote the key's lastUsedAt (at most once a minute per key). The timed cold run (b) then cycled the ${cold.keys.toLocaleString("en-US")} keys of that pass written most recently, so that no write fell due before it ended: it measures the cache miss alone`,
      serverNotes.length
        ? `Server log: ${serverNotes.length} warning or error line(s), the first: \`${serverNotes[0].slice(0, 240).replace(/`/g, "'")}\``
        : "Server log: no warnings or errors",
      `Keys: ${COLD_KEYS + 1} real keys from generateApiKey() inserted with createMany (hash and start only); the unknown flood cycles 50,000 fresh checksum-valid keys (the negative cache holds 1,000); the tutorial row is bcrypt at cost 12 (passlib's default) of an MV_SECRET_ key`,
    ],
    durationSeconds,
    connections,
    instances: options.scale ? 2 : 1,
    pacedShare,
    scenarios,
    micro,
    growth,
    clientVerify,
  };
  console.log(renderText(run));
  const resultsFile = quick ? path.join(WORK_DIR, "RESULTS-quick.md") : path.resolve(options.scale ? "bench/RESULTS-scale.md" : "bench/RESULTS.md");
  writeFileSync(resultsFile, renderMarkdown(run));
  log(`wrote ${path.relative(process.cwd(), resultsFile)}`);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanUp();
    // Prisma and pg pools may keep handles open; the work is done.
    process.exit();
  });
