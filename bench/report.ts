import os from "node:os";
import { readFileSync } from "node:fs";
import type { GrowthRow } from "./growth";
import type { Figures } from "./load";
import type { MicroFigures } from "./micro";
import type { ClientVerifyFigures } from "./client-verify";
import type { ScenarioFigures } from "./scenarios";

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
}

export interface BenchRun {
  mode: "embedded" | "scale";
  command: string;
  startedAt: Date;
  finishedAt: Date;
  machine: Machine;
  loadAverage: { start: number[]; end: number[] };
  buildSeconds: number | null;
  seedSeconds: number;
  /** What the server(s) ran on and with, without secrets. */
  setup: string[];
  durationSeconds: number;
  connections: number;
  instances: number;
  pacedShare: number;
  scenarios: ScenarioFigures;
  micro: MicroFigures[];
  growth: GrowthRow[] | null;
  /** The TypeScript client's verify round trip (bench/client-verify.ts). */
  clientVerify: ClientVerifyFigures[];
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  let distribution = "";
  try {
    distribution = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? "";
  } catch {
    // Not Linux, or no os-release: the kernel line below still says what it is.
  }
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${distribution ? `${distribution}, ` : ""}${os.type()} ${os.release()} ${os.arch()}`,
  };
}

const int = (value: number) => Math.round(value).toLocaleString("en-US");
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const micros = (value: number) => (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : int(value));

type Table = { headers: string[]; rows: string[][] };

function markdown({ headers, rows }: Table): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map((_, i) => (i === 0 ? "---" : "---:"))), ...rows.map(line)].join("\n");
}

function plain({ headers, rows }: Table): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [line(headers), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

/** For an attack scenario 401 is the right answer; for the rest only 2xx is. */
function unexpected(figures: Figures, expect401: boolean): number {
  if (!expect401) return figures.non2xx;
  return figures.requests - (figures.statusCodes["401"] ?? 0);
}

function loadTable(scenarios: ScenarioFigures): Table {
  const attack = new Set<Figures>([scenarios.malformed, scenarios.unknown, scenarios.floodAlongsideHot, scenarios.floodAlongsidePaced]);
  return {
    headers: ["scenario", "conns", "req/s", "p50 ms", "p99 ms", "max ms", "requests", "expected", "unexpected", "5xx", "errors"],
    rows: Object.values(scenarios).map((figures: Figures) => [
      figures.title,
      `${figures.connections}`,
      int(figures.rps),
      `${figures.p50}`,
      `${figures.p99}`,
      `${figures.max}`,
      int(figures.requests),
      attack.has(figures) ? "401" : "2xx",
      int(unexpected(figures, attack.has(figures))),
      int(figures.status5xx),
      int(figures.errors),
    ]),
  };
}

/** The ceiling the ratios divide by: the run that alternated with (a). The last ceiling run only shows drift. */
export function ceilingRps(scenarios: ScenarioFigures): number {
  return scenarios.ceiling.rps;
}

function ratioTable(scenarios: ScenarioFigures): Table {
  const ceiling = ceilingRps(scenarios);
  const rows: [string, number][] = [
    ["(a) / (c): hot key against the ceiling", scenarios.hot.rps / ceiling],
    ["(c') / (c): /me's response, no guard", scenarios.shaped.rps / ceiling],
    ["(a) / (c'): the guard alone (same response)", scenarios.hot.rps / scenarios.shaped.rps],
    ["(b) / (c): cache misses against the ceiling", scenarios.cold.rps / ceiling],
    ["(b') / (c): first use this minute (miss + lastUsedAt write)", scenarios.coldFirstUse.rps / ceiling],
    ["(a) / (d): hot key against the tutorial's bcrypt", scenarios.hot.rps / scenarios.tutorial.rps],
    ["(e) unknown / (c)", scenarios.unknown.rps / ceiling],
    ["(e) malformed / (c)", scenarios.malformed.rps / ceiling],
    ["(a) during a saturating flood / (a) alone", scenarios.hotUnderFlood.rps / scenarios.hot.rps],
    ["paced (a) during a flood / paced (a) alone (throughput)", scenarios.pacedUnderFlood.rps / scenarios.pacedAlone.rps],
  ];
  return {
    headers: ["ratio", "value"],
    rows: rows.map(([label, value]) => [label, !Number.isFinite(value) ? "n/a (nothing completed)" : value >= 10 ? `${value.toFixed(0)} x` : percent(value)]),
  };
}

function clientVerifyTable(figures: ClientVerifyFigures[]): Table {
  return {
    headers: ["verifyKey from @keyport/client", "calls/s", "p50 µs", "p99 µs", "max µs", "calls"],
    rows: figures.map((row) => [row.mode, int(row.callsPerSecond), micros(row.p50Us), micros(row.p99Us), micros(row.maxUs), int(row.calls)]),
  };
}

function microTable(micro: MicroFigures[]): Table {
  return {
    headers: ["verifyApiKey", "database", "cache TTL", "ops/s", "p50 µs", "p99 µs", "max µs", "calls"],
    rows: micro.map((figures) => [
      figures.mode,
      `${figures.database} (${int(figures.keyRows)} keys)`,
      figures.cacheTtlMs === 0 ? "off" : `${figures.cacheTtlMs / 1000} s`,
      int(figures.opsPerSecond),
      micros(figures.p50Us),
      micros(figures.p99Us),
      micros(figures.maxUs),
      int(figures.iterations),
    ]),
  };
}

function growthTable(growth: GrowthRow[]): Table {
  const base = growth[0].miss;
  return {
    headers: ["keys in table", "seeded in s", "miss p50 µs", "miss p99 µs", "p50 vs smallest", "p99 vs smallest", "calls"],
    rows: growth.map((row) => [
      int(row.keys),
      row.seedSeconds.toFixed(1),
      micros(row.miss.p50Us),
      micros(row.miss.p99Us),
      percent(row.miss.p50Us / base.p50Us),
      percent(row.miss.p99Us / base.p99Us),
      int(row.miss.iterations),
    ]),
  };
}

/** What the growth figures themselves say about a spread above 20 %. */
export function growthLimit(growth: GrowthRow[], p50Spread: number): string {
  // "Rises with the table": never down by more than 5 % from one size to the next, and the largest above the smallest.
  const rising = (pick: (row: GrowthRow) => number) =>
    growth.every((row, i) => i === 0 || pick(row) >= pick(growth[i - 1]) * 0.95) && pick(growth[growth.length - 1]) > pick(growth[0]) * 1.05;
  const steps = (pick: (row: GrowthRow) => number) =>
    growth.slice(1).map((row, i) => `${int(growth[i].keys)} -> ${int(row.keys)}: ${percent(pick(row) / pick(growth[i]))}`).join(", ");
  const parts: string[] = [];
  if (p50Spread > 1.2) {
    parts.push(
      rising((row) => row.miss.p50Us)
        ? `The median rises with the table (${steps((row) => row.miss.p50Us)}): the unique index on keyHash gains a level and outgrows SQLite's page cache, so a lookup reads more index pages (from the OS cache). It is one B-tree lookup at every size, so the growth is logarithmic, not linear.`
        : `The median moved by more than 20 % but not in step with the table size (${steps((row) => row.miss.p50Us)}): that points at the machine's load during a slice, not at the index.`,
    );
  } else {
    parts.push("The median is flat: one unique-index B-tree lookup at every size.");
  }
  parts.push(
    rising((row) => row.miss.p99Us)
      ? "The tail rises with the table as well: more of the index lives outside SQLite's page cache."
      : `The tail does not rise with the table (${steps((row) => row.miss.p99Us)}), so its spread is the machine's other load and garbage collection caught by a few thousand calls per size; the sizes ran in alternating slices, so that noise fell on all of them.`,
  );
  return parts.join(" ");
}

/**
 * The flood check with valid traffic at a fixed rate: met when the valid traffic keeps 80 % of
 * its rate and neither its median nor its p99 grows by more than 20 %. A baseline that did not
 * hold its own rate says the server was already in trouble, so the check cannot pass on it.
 */
export function pacedFloodTarget(s: ScenarioFigures): TargetRow {
  const planned = s.pacedAlone.overallRate ?? s.pacedAlone.rps;
  const baselineHeld = s.pacedAlone.rps >= planned * 0.9;
  const kept = s.pacedUnderFlood.rps / s.pacedAlone.rps;
  const p50Growth = s.pacedUnderFlood.p50 / Math.max(1, s.pacedAlone.p50);
  const p99Growth = s.pacedUnderFlood.p99 / Math.max(1, s.pacedAlone.p99);
  const met = baselineHeld && kept >= 0.8 && p50Growth <= 1.2 && p99Growth <= 1.2;
  let limit = "";
  if (!baselineHeld) {
    limit = `The baseline itself did not hold its rate (${int(s.pacedAlone.rps)} of ${int(planned)} req/s, p50 ${s.pacedAlone.p50} ms) with no flood running: the server was still stalled by what came before, so this pair of runs says nothing about the flood.`;
  } else if (!met) {
    limit = `${kept >= 0.8 ? "The rate held, but latency did not: " : ""}valid requests queue behind the flood's requests on the same event loop, so their latency grows with the flood's concurrency, not with anything verification does.`;
  }
  return {
    target: `unknown-key flood slows valid traffic by <= 20 % (paced: valid at ${int(planned)} req/s planned, flood at full speed)`,
    measured: `throughput kept ${percent(kept)}; p50 ${s.pacedAlone.p50} -> ${s.pacedUnderFlood.p50} ms, p99 ${s.pacedAlone.p99} -> ${s.pacedUnderFlood.p99} ms`,
    met,
    limit,
  };
}

interface TargetRow {
  target: string;
  measured: string;
  met: boolean;
  limit: string;
}

function microOf(run: BenchRun, mode: MicroFigures["mode"]) {
  return run.micro.find((figures) => figures.mode === mode);
}

/** Each target with its measured figure and, where missed, what the run's own figures say limits it. */
export function evaluateTargets(run: BenchRun): TargetRow[] {
  const s = run.scenarios;
  const ceiling = ceilingRps(s);
  const perRequestUs = (rps: number) => (1e6 / rps) * run.instances;
  const hit = microOf(run, "hit");
  const miss = microOf(run, "miss");
  const unknown = microOf(run, "unknown");
  const rows: TargetRow[] = [];

  const hotRatio = s.hot.rps / ceiling;
  rows.push({
    target: "(a) hot key at >= 90 % of the no-auth ceiling (c)",
    measured: `${percent(hotRatio)} (${int(s.hot.rps)} vs ${int(ceiling)} req/s)`,
    met: hotRatio >= 0.9,
    limit:
      hotRatio >= 0.9
        ? ""
        : `Each request costs about ${int(perRequestUs(s.hot.rps) - perRequestUs(ceiling))} µs of server time more than the ceiling's ${int(perRequestUs(ceiling))} µs: ` +
          `${int(perRequestUs(s.shaped.rps) - perRequestUs(ceiling))} µs of it is /me's response itself (the ceiling with the same body and headers, (c'), did ${int(s.shaped.rps)} req/s) ` +
          `and ${int(perRequestUs(s.hot.rps) - perRequestUs(s.shaped.rps))} µs the guard` +
          (hit ? `, of which verifyApiKey's cache hit is ${micros(hit.p50Us)} µs (p50, micro bench)` : "") +
          ". See bench/PROFILE.md for where the rest goes.",
  });

  const coldRatio = s.cold.rps / ceiling;
  rows.push({
    target: "(b) cache misses at >= 60 % of the ceiling (c)",
    measured: `${percent(coldRatio)} (${int(s.cold.rps)} req/s)`,
    met: coldRatio >= 0.6,
    limit:
      coldRatio >= 0.6
        ? ""
        : `The lookup on every miss: ${miss ? `${micros(miss.p50Us)} µs p50 in-process (micro bench, ${miss.database})` : "see the micro bench"}` +
          ` against about ${int(perRequestUs(ceiling))} µs of server time per request at the ceiling. It is one SQL statement (lib/api-keys/load-key-snapshot.ts), but it still passes through Prisma's client and driver adapter` +
          `${run.mode === "embedded" ? ", which prepare the statement anew each time" : ""}, and the miss also writes the key back to the cache; see bench/PROFILE.md.`,
  });

  const floodRatio = s.hotUnderFlood.rps / s.hot.rps;
  rows.push({
    target: "unknown-key flood slows valid traffic by <= 20 % (saturating: both loads at full speed)",
    measured: `valid traffic kept ${percent(floodRatio)} of its throughput (${int(s.hotUnderFlood.rps)} vs ${int(s.hot.rps)} req/s), p99 ${s.hotUnderFlood.p99} vs ${s.hot.p99} ms`,
    met: floodRatio >= 0.8,
    limit:
      floodRatio >= 0.8
        ? ""
        : `The flood and the valid traffic share ${run.instances === 1 ? "one Node.js event loop" : "the instances' event loops"} on ${run.machine.cores} cores: ` +
          `an unknown key costs ${unknown ? `${micros(unknown.p50Us)} µs in verifyApiKey (one index lookup)` : "one index lookup"} plus the same HTTP work as a valid request, ` +
          `so a flood at full speed takes its share of the CPU. Only a limit in front of the app (per-IP) or a cheaper rejection can protect the rest.`,
  });

  rows.push(pacedFloodTarget(s));

  if (hit) {
    rows.push({
      target: "verifyApiKey cache hit p99 < 50 µs (micro bench)",
      measured: `p99 ${micros(hit.p99Us)} µs (p50 ${micros(hit.p50Us)} µs, ${int(hit.opsPerSecond)} ops/s)`,
      met: hit.p99Us < 50,
      limit: hit.p99Us < 50 ? "" : "Garbage collection and the machine's other load show in the tail; p50 is the hash and the LRU lookup.",
    });
  }

  if (run.growth && run.growth.length > 1) {
    const first = run.growth[0];
    const last = run.growth[run.growth.length - 1];
    // Flat: the slowest size within 20 % of the fastest, for the median and for the tail.
    const spread = (pick: (row: GrowthRow) => number) => Math.max(...run.growth!.map(pick)) / Math.min(...run.growth!.map(pick));
    const p50Spread = spread((row) => row.miss.p50Us);
    const p99Spread = spread((row) => row.miss.p99Us);
    const flat = p50Spread <= 1.2 && p99Spread <= 1.2;
    rows.push({
      target: `cache-miss latency flat within 20 % from ${int(first.keys)} to ${int(last.keys)} keys`,
      measured: `p50 ${run.growth.map((row) => micros(row.miss.p50Us)).join(" / ")} µs (slowest/fastest ${percent(p50Spread)}), p99 ${run.growth.map((row) => micros(row.miss.p99Us)).join(" / ")} µs (${percent(p99Spread)})`,
      met: flat,
      limit: flat ? "" : growthLimit(run.growth, p50Spread),
    });
    const million = run.growth.find((row) => row.keys === 1_000_000);
    if (million) {
      rows.push({
        target: "1,000,000 keys seed well under a minute",
        measured: `${million.seedSeconds.toFixed(1)} s`,
        met: million.seedSeconds < 30,
        limit: million.seedSeconds < 30 ? "" : "The machine's load during seeding; the insert is one prepared statement in one transaction.",
      });
    }
  }

  const total = (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000;
  rows.push({
    target: "the whole run, build included, in under 10 minutes",
    measured: `${(total / 60).toFixed(1)} min${run.buildSeconds === null ? " (build skipped)" : ` (build ${run.buildSeconds.toFixed(0)} s)`}`,
    met: total < 600,
    limit: total < 600 ? "" : "Durations or the machine's load; shorten --duration.",
  });
  return rows;
}

/** The stdout summary: the load table, the ratios, the micro bench and growth, and the verdicts. */
export function renderText(run: BenchRun): string {
  const parts = [plain(loadTable(run.scenarios)), plain(ratioTable(run.scenarios)), plain(microTable(run.micro)), plain(clientVerifyTable(run.clientVerify))];
  if (run.growth) parts.push(plain(growthTable(run.growth)));
  parts.push(evaluateTargets(run).map((row) => `${row.met ? "MET    " : "NOT MET"}  ${row.target}: ${row.measured}`).join("\n"));
  return parts.join("\n\n");
}

/** RESULTS.md: the same tables with the run's machine, date, command and settings. */
export function renderMarkdown(run: BenchRun): string {
  const { machine } = run;
  const title = run.mode === "embedded" ? "embedded mode (SQLite, one instance)" : "scale-out mode (PostgreSQL + Redis, two instances)";
  const lines = [
    `# Key verification benchmark: ${title}`,
    "",
    "Written by the bench itself; run it again to replace these figures. The figures of one run are",
    "comparable with each other (same machine, same minutes); absolute numbers from another machine are not.",
    "",
    `- Date: ${run.startedAt.toISOString()} (took ${((run.finishedAt.getTime() - run.startedAt.getTime()) / 60000).toFixed(1)} min)`,
    `- Command: \`${run.command}\``,
    `- Machine: ${machine.cores} cores, ${machine.cpuModel}, ${machine.memoryGiB} GiB; Node.js ${machine.node}; ${machine.os}`,
    `- Load average (1/5/15 min) at start ${run.loadAverage.start.map((v) => v.toFixed(2)).join(" / ")}, at the end ${run.loadAverage.end.map((v) => v.toFixed(2)).join(" / ")}`,
    `- Build: ${run.buildSeconds === null ? "skipped (--skip-build, an existing build was reused)" : `\`next build\` into bench/.work/next in ${run.buildSeconds.toFixed(0)} s`}; seeding ${run.seedSeconds.toFixed(1)} s`,
    `- Load: autocannon, ${run.durationSeconds} s and ${run.connections} connections per scenario and per instance${run.instances > 1 ? ` (${run.instances} instances, one autocannon each, run at the same time and added: the connection counts below are the totals)` : ""}; the cold pass (b') is 10,000 requests per instance; a 2 s warm-up of (c), (c'), (a) and (e) runs first and is not counted. autocannon runs in the bench process on the same machine as the server.`,
    `- Latency is autocannon's, in whole milliseconds, merged over instances from the histograms; req/s is completed requests over the run's seconds, added over instances.`,
    ...run.setup.map((line) => `- ${line}`),
    "",
    "## Load",
    "",
    markdown(loadTable(run.scenarios)),
    "",
    "\"expected\" is the status every response should have had; \"unexpected\" counts the others (for the attack rows anything but 401), \"5xx\" the server errors among them, \"errors\" connection errors and timeouts.",
    "",
    "## Ratios",
    "",
    `The ceiling (c), the ceiling with /me's response (c') and the hot key (a) ran alternately, two slices of ${run.durationSeconds / 2} s each (slices: (c) ${run.scenarios.ceiling.sliceRps.map(int).join(", ")}; (c') ${run.scenarios.shaped.sliceRps.map(int).join(", ")}; (a) ${run.scenarios.hot.sliceRps.map(int).join(", ")} req/s). The ceiling's last run, after everything else, did ${int(run.scenarios.ceilingAgain.rps)} req/s: the difference is how much the machine drifted during the run.`,
    "",
    markdown(ratioTable(run.scenarios)),
    "",
    "## verifyApiKey in-process (bench/verify-micro.ts)",
    "",
    "One child process per mode with its own environment (lib/env reads it at import): `hit` with the cache on and one warm key; `miss` with KEY_CACHE_TTL_MS=0, cycling 1,000 keys after one untimed pass (so the once-a-minute lastUsedAt write is not in it); `malformed` six kinds of bad shape or checksum; `unknown` a fresh checksum-valid key per call (misses the negative cache, reads the index); `unknown-repeat` one unknown key again and again (answered by the negative cache). Each call timed alone with process.hrtime.bigint; ops/s is 1 / mean.",
    "",
    markdown(microTable(run.micro)),
    "",
    "## A verify round trip from the TypeScript client (bench/client-verify.ts)",
    "",
    "What protecting a backend with Keyport adds to each of its requests: `verifyKey` (POST /api/v1/verify) from this process to the production server, one call after another after 50 untimed ones, each timed alone, with the server's key cache on. Without the client's cache every call is a round trip; with it (`cache: { ttlMs }`) a VALID verdict is answered in-process until the TTL ends, which is how long a revoked key may still be accepted.",
    "",
    markdown(clientVerifyTable(run.clientVerify)),
  ];
  if (run.growth) {
    lines.push(
      "",
      "## Growth: a cache miss as the table grows (SQLite)",
      "",
      "A fresh SQLite file per size, bulk-seeded with synthetic rows (random 64-hex hashes, one prepared insert in one transaction), plus 1,000 real probe keys; then the micro bench's miss mode over the probes.",
      "",
      markdown(growthTable(run.growth)),
    );
  }
  lines.push("", "## Targets", "");
  for (const row of evaluateTargets(run)) {
    lines.push(`- **${row.met ? "Met" : "Not met"}**: ${row.target}. Measured: ${row.measured}.${row.limit ? ` What limits it: ${row.limit}` : ""}`);
  }
  lines.push("");
  return lines.join("\n");
}
