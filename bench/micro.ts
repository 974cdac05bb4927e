import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

export const MICRO_MODES = ["hit", "miss", "malformed", "unknown", "unknown-repeat"] as const;
export type MicroMode = (typeof MICRO_MODES)[number];

/** One mode's figures, as bench/verify-micro.ts prints them. */
export interface MicroFigures {
  mode: MicroMode;
  database: "sqlite" | "postgresql";
  keyRows: number;
  cacheTtlMs: number;
  iterations: number;
  /** Sequential calls a second: 1 / mean latency. */
  opsPerSecond: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

/** The cache setting each mode needs: off for a real lookup on every call, long for hits. */
const CACHE_TTL_MS: Record<MicroMode, string> = {
  hit: "300000",
  miss: "0",
  malformed: "5000",
  unknown: "5000",
  "unknown-repeat": "5000",
};

interface MicroOptions {
  seconds?: number;
  probes?: number;
}

/** A child running bench/verify-micro.ts with the mode's own environment, read one JSON line at a time. */
function startChild(mode: MicroMode, databaseUrl: string, options: MicroOptions, session: boolean) {
  const child: ChildProcess = spawn(path.resolve("node_modules/.bin/tsx"), [path.resolve("bench/verify-micro.ts"), mode, ...(session ? ["--session"] : [])], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      KEY_CACHE_TTL_MS: CACHE_TTL_MS[mode],
      KEY_CACHE_MAX_ENTRIES: "50000",
      MICRO_SECONDS: String(options.seconds ?? 3),
      MICRO_PROBES: String(options.probes ?? 1_000),
      REDIS_URL: "",
    },
    stdio: [session ? "pipe" : "ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const failure = () => new Error(`verify-micro ${mode} failed (exit ${child.exitCode}): ${stderr.trim().split("\n").slice(-5).join(" | ")}`);
  /** The next JSON line the child prints (anything else on stdout is passed over). */
  async function nextJson<T>(): Promise<T> {
    for (;;) {
      const line = await lines.next();
      if (line.done) {
        await new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve(null)));
        throw failure();
      }
      if (line.value.startsWith("{")) return JSON.parse(line.value) as T;
    }
  }
  return { child, nextJson };
}

/** Runs one mode for options.seconds in a child process of its own and returns its figures. */
export async function runMicro(mode: MicroMode, databaseUrl: string, options: MicroOptions = {}): Promise<MicroFigures> {
  return startChild(mode, databaseUrl, options, false).nextJson<MicroFigures>();
}

/** A prepared, warmed-up child that measures when told to, so several can take turns. */
export interface MicroSession {
  measure(seconds: number): Promise<void>;
  report(): Promise<MicroFigures>;
}

export async function startMicroSession(mode: MicroMode, databaseUrl: string, options: MicroOptions = {}): Promise<MicroSession> {
  const { child, nextJson } = startChild(mode, databaseUrl, options, true);
  await nextJson<{ ready: true }>();
  return {
    async measure(seconds) {
      child.stdin!.write(`measure ${seconds}\n`);
      await nextJson<{ done: true }>();
    },
    async report() {
      child.stdin!.write("report\n");
      return nextJson<MicroFigures>();
    },
  };
}
