import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateApiKey } from "../lib/api-keys/key-format";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { freePort, waitFor } from "../tests/scale/instances";
import { type Figures, type LoadSpec, rotateBearer, runLoad } from "./load";
import type { BenchKeys } from "./seed";

/** The parts of a V8 .cpuprofile (node --cpu-prof) the summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  windowMs: number;
  /** CPU time on the server's main thread inside the window (everything but idle). */
  busyMs: number;
  requests: number;
  busyUsPerRequest: number;
  /** Where the main thread's time went, by original source (source maps applied). */
  buckets: { name: string; usPerRequest: number; share: number }[];
  /** The functions with the most self time, by original source position. */
  functions: { name: string; where: string; usPerRequest: number }[];
}

/**
 * Names the code a frame belongs to. Next.js's own runtime is named by the file that ran
 * (node_modules/next); code Turbopack bundled into the app's chunks by its original source.
 */
function bucketOf(url: string, source: string, functionName: string): string {
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(program)") return "V8 / native (program)";
  if (!url) return "native code (V8 builtins, C++ bindings)";
  // The only WebAssembly in the server is Prisma's query compiler.
  if (url.startsWith("wasm://")) return "@prisma/client (query compiler, wasm)";
  if (url.startsWith("turbopack://") || source.startsWith("turbopack://")) return "Turbopack runtime";
  if (url.startsWith("node:")) return `node:${url.slice(5).replace(/^internal\//, "").split("/")[0]}`;
  if (/\/node_modules\/next\//.test(url)) return "next (server runtime)";
  const path = url.includes("/node_modules/") ? url : source;
  const modules = [...path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/.][^/]*)/g)].pop();
  if (modules) return modules[1] === "next" ? "next (server runtime)" : modules[1];
  const project = /^((?:lib|app)\/[^/]+(?:\/[^/.]+)?)/.exec(source);
  if (project) return project[1].replace(/\.[jt]sx?$/, "");
  return `other (${source.split("/").slice(0, 3).join("/")})`;
}

const maps = new Map<string, SourceMap | null>();
function original(url: string, line: number, column: number): { source: string; line: number } {
  if (!url.startsWith("file://")) return { source: url, line: line + 1 };
  let map = maps.get(url);
  if (map === undefined) {
    const file = `${fileURLToPath(url)}.map`;
    try {
      map = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, "utf8"))) : null;
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  const entry = map?.findEntry(line, column) as { originalSource?: string; originalLine?: number } | undefined;
  if (entry?.originalSource) return { source: entry.originalSource.replace(/^(\.\.\/)+/, ""), line: (entry.originalLine ?? 0) + 1 };
  return { source: fileURLToPath(url).replace(/^.*\/node_modules\//, "node_modules/"), line: line + 1 };
}

/**
 * Summarizes the samples of a server's .cpuprofile that fall inside [startUs, endUs] (the
 * load's window; V8's profile clock and process.hrtime are both CLOCK_MONOTONIC on Linux),
 * per request served in that window.
 */
export function summarizeProfile(file: string, window: { startUs: number; endUs: number }, requests: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const bucketUs = new Map<string, number>();
  const functionUs = new Map<string, number>();
  let time = profile.startTime;
  let busyUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    const weight = profile.timeDeltas[i + 1] ?? 0;
    if (time < window.startUs || time > window.endUs) continue;
    const { functionName, url, lineNumber, columnNumber } = byId.get(profile.samples[i])!.callFrame;
    if (functionName === "(idle)") continue;
    busyUs += weight;
    const where = original(url, lineNumber, columnNumber);
    const bucket = bucketOf(url, where.source, functionName);
    bucketUs.set(bucket, (bucketUs.get(bucket) ?? 0) + weight);
    const name = `${functionName || "(anonymous)"}\t${where.source}:${where.line}`;
    functionUs.set(name, (functionUs.get(name) ?? 0) + weight);
  }
  const perRequest = (us: number) => us / Math.max(1, requests);
  return {
    windowMs: (window.endUs - window.startUs) / 1_000,
    busyMs: busyUs / 1_000,
    requests,
    busyUsPerRequest: perRequest(busyUs),
    buckets: [...bucketUs]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, usPerRequest: perRequest(us), share: us / busyUs })),
    functions: [...functionUs]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([key, us]) => {
        const [name, where] = key.split("\t");
        return { name, where, usPerRequest: perRequest(us) };
      }),
  };
}

/**
 * The production server (scripts/serve.mjs, what `npm start` and tests/scale/instances.ts run)
 * under `node --cpu-prof`, which NODE_OPTIONS does not accept; the profile is written as it exits.
 */
async function startProfiledServer(dir: string, env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=500", path.resolve("scripts/serve.mjs")], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret-0",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      ...env,
    },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/api/health`)).status < 500, 60_000, "the profiled server to start");
  const exited = once(child, "exit");
  return {
    url,
    async stop() {
      // serve.mjs closes and exits on SIGTERM, and node writes the profile as it exits.
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

export interface ProfiledScenario {
  title: string;
  figures: Figures;
  summary: ProfileSummary;
}

/**
 * `npm run bench -- --profile`: each scenario on a fresh server started with --cpu-prof, so
 * one profile holds one kind of traffic. Only the samples inside the load's window count.
 */
export async function profileScenarios(
  keys: BenchKeys,
  options: { serverEnv: Record<string, string>; profileDir: string; durationSeconds: number; connections: number; log: (line: string) => void },
): Promise<ProfiledScenario[]> {
  const unknownKeys = Array.from({ length: 20_000 }, () => generateApiKey("kp", "live").secret);
  // 2,000 keys still miss a 1,000-entry cache on every request, and their first-use pass is short.
  const cold = keys.cold.slice(0, 2_000);
  const scenarios: { title: string; path: string; headers: LoadSpec["headers"]; before?: LoadSpec["headers"] }[] = [
    { title: "(c) ceiling: no-auth route", path: "/api/bench/noop", headers: () => () => ({}) },
    { title: "(c') ceiling with /me's response", path: "/api/bench/shaped", headers: () => () => ({}) },
    { title: "(a) hot: one valid key", path: "/api/v1/me", headers: () => () => ({ authorization: `Bearer ${keys.hot}` }) },
    { title: "(b') cold keys, first use this minute", path: "/api/v1/me", headers: () => rotateBearer(keys.cold.slice(2_000)) },
    { title: "(b) cold: cache misses (2,000 keys in turn)", path: "/api/v1/me", headers: () => rotateBearer(cold), before: () => rotateBearer(cold) },
    { title: "(e) unknown keys", path: "/api/v1/me", headers: () => rotateBearer(unknownKeys) },
  ];
  const results: ProfiledScenario[] = [];
  for (const [i, scenario] of scenarios.entries()) {
    const dir = path.join(options.profileDir, `scenario-${i}`);
    mkdirSync(dir, { recursive: true });
    const instance = await startProfiledServer(dir, options.serverEnv);
    try {
      const base = { title: scenario.title, targets: [instance.url], path: scenario.path, connections: options.connections };
      await runLoad({ ...base, headers: scenario.headers, durationSeconds: 2 });
      if (scenario.before) await runLoad({ ...base, headers: scenario.before, amount: cold.length });
      const startUs = Number(process.hrtime.bigint() / 1_000n);
      const figures = await runLoad({ ...base, headers: scenario.headers, durationSeconds: options.durationSeconds });
      const endUs = Number(process.hrtime.bigint() / 1_000n);
      await instance.stop();
      const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
      if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
      const summary = summarizeProfile(path.join(dir, file), { startUs, endUs }, figures.requests);
      options.log(`${scenario.title}: ${figures.rps.toFixed(0)} req/s, ${summary.busyUsPerRequest.toFixed(0)} µs of main-thread CPU a request`);
      results.push({ title: scenario.title, figures, summary });
    } finally {
      await instance.stop();
    }
  }
  return results;
}

const us = (value: number) => (value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString("en-US"));

/** bench/PROFILE.md: CPU per request by code, each scenario against the ceiling. */
export function renderProfile(results: ProfiledScenario[], header: string[]): string {
  const [ceiling, ...rest] = results;
  const bucketNames = [...new Set(results.flatMap((result) => result.summary.buckets.filter((bucket) => bucket.usPerRequest >= 2).map((bucket) => bucket.name)))];
  const perBucket = (result: ProfiledScenario, name: string) => result.summary.buckets.find((bucket) => bucket.name === name)?.usPerRequest ?? 0;
  bucketNames.sort((a, b) => Math.max(...rest.map((r) => perBucket(r, b) - perBucket(ceiling, b))) - Math.max(...rest.map((r) => perBucket(r, a) - perBucket(ceiling, a))));
  const lines = [...header, "", "## Main-thread CPU per request", ""];
  lines.push(`| scenario | req/s | CPU µs / request | vs ceiling |`, `| --- | ---: | ---: | ---: |`);
  for (const result of results) {
    lines.push(`| ${result.title} | ${Math.round(result.figures.rps)} | ${us(result.summary.busyUsPerRequest)} | ${result === ceiling ? "" : `+${us(result.summary.busyUsPerRequest - ceiling.summary.busyUsPerRequest)}`} |`);
  }
  lines.push("", "## By code (µs per request; source maps applied to the bundles)", "");
  lines.push(`| code | ${results.map((result) => result.title.split(":")[0]).join(" | ")} |`, `| --- | ${results.map(() => "---:").join(" | ")} |`);
  for (const name of bucketNames) lines.push(`| ${name} | ${results.map((result) => us(perBucket(result, name))).join(" | ")} |`);
  for (const result of rest) {
    lines.push("", `## Top self time: ${result.title}`, "", "| function | where | µs / request |", "| --- | --- | ---: |");
    for (const fn of result.summary.functions.slice(0, 15)) lines.push(`| ${fn.name.replace(/\|/g, "\\|")} | ${fn.where} | ${us(fn.usPerRequest)} |`);
  }
  lines.push("");
  return lines.join("\n");
}
