import { generateApiKey } from "../lib/api-keys/key-format";
import { type Figures, type LoadSpec, rotateBearer, runAlternating, runConcurrently, runLoad } from "./load";
import type { BenchKeys } from "./seed";

export interface ScenarioSettings {
  targets: string[];
  /** Connections per target and per load (a flood runs its own connections alongside). */
  connections: number;
  durationSeconds: number;
  /** Paced valid traffic runs at this share of the measured hot rate (the flood check's second form). */
  pacedShare: number;
  /** The server's KEY_CACHE_MAX_ENTRIES: the cold rotation must be larger to miss every time. */
  cacheEntries: number;
  log: (line: string) => void;
}

/** Every figure the server part of the bench measures, by scenario. */
export interface ScenarioFigures {
  ceiling: Figures;
  /** The ceiling with /me's response: tells the response's cost from the guard's. */
  shaped: Figures;
  hot: Figures;
  coldFirstUse: Figures;
  cold: Figures;
  tutorial: Figures;
  malformed: Figures;
  unknown: Figures;
  hotUnderFlood: Figures;
  floodAlongsideHot: Figures;
  pacedAlone: Figures;
  pacedUnderFlood: Figures;
  floodAlongsidePaced: Figures;
  ceilingAgain: Figures;
}

/** What the cold run actually cycled, so the report can say it. */
export interface ColdRotation {
  keys: number;
  firstUseSeconds: number;
}

/** verifyApiKey writes lastUsedAt at most once a minute per key (lib/api-keys/last-used.ts). */
const LAST_USED_INTERVAL_SECONDS = 60;

/** How many unknown keys the flood cycles through: far more than the negative cache holds, so none repeats in time. */
const UNKNOWN_POOL = 50_000;

/** Keys that fail on shape or checksum in different ways (all refused before any lookup). */
function malformedKeys(valid: string): string[] {
  return [
    valid.slice(0, -1) + (valid.endsWith("A") ? "B" : "A"),
    valid.slice(0, 20),
    `${valid}${valid}`,
    valid.replace("kp_", "zz_"),
    "MV_SECRET_not-hex",
    "definitely-not-a-key",
  ];
}

/**
 * Runs the server scenarios in one sequence, so the ratios between them come from one
 * sitting. The ceiling, the ceiling with /me's response and the hot key alternate in two
 * rounds of half the duration each, so a burst of load elsewhere falls on all three alike.
 */
export async function runScenarios(keys: BenchKeys, settings: ScenarioSettings): Promise<{ figures: ScenarioFigures; cold: ColdRotation }> {
  const { targets, connections, durationSeconds, log } = settings;
  const unknownKeys = Array.from({ length: UNKNOWN_POOL }, () => generateApiKey("kp", "live").secret);
  const bearer = (key: string) => () => () => ({ authorization: `Bearer ${key}` });
  const spec = (title: string, path: string, headers: LoadSpec["headers"], extra: Partial<LoadSpec> = {}): LoadSpec => ({
    title,
    targets,
    path,
    headers,
    connections,
    durationSeconds,
    ...extra,
  });
  const noop = spec("(c) ceiling: no-auth route", "/api/bench/noop", () => () => ({}));
  const shaped = spec("(c') ceiling with /me's response", "/api/bench/shaped", () => () => ({}));
  const hot = spec("(a) hot: one valid key", "/api/v1/me", bearer(keys.hot));
  const unknown = spec("(e) unknown keys (valid checksum)", "/api/v1/me", () => rotateBearer(unknownKeys));
  const report = (figures: Figures) => {
    log(`${figures.title.trim()}: ${figures.rps.toFixed(0)} req/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms`);
    return figures;
  };
  const run = async (load: LoadSpec) => report(await runLoad(load));

  log("warming up (JIT, route modules, connections): not measured");
  for (const load of [noop, shaped, hot, unknown]) await runLoad({ ...load, durationSeconds: 2 });

  const [ceiling, shapedFigures, hotFigures] = (await runAlternating([noop, shaped, hot], 2)).map(report);

  // Every key's first request in a minute also writes its lastUsedAt. The first pass over the
  // cold keys pays that on every request; the timed cold run then cycles the keys of that pass
  // whose write is recent enough that none falls due again before it ends, so it measures the
  // cache miss alone. Both figures are reported.
  const coldFirstUse = await run(
    spec("(b') cold keys, first use this minute", "/api/v1/me", () => rotateBearer(keys.cold), { amount: keys.cold.length }),
  );
  const safeSeconds = LAST_USED_INTERVAL_SECONDS - durationSeconds - 10;
  const coldCount = Math.min(keys.cold.length, Math.floor((keys.cold.length * safeSeconds) / coldFirstUse.seconds));
  if (coldCount < settings.cacheEntries * 1.5) log(`warning: only ${coldCount} cold keys are safe from a lastUsedAt write; misses are not guaranteed`);
  const recentlyUsed = keys.cold.slice(keys.cold.length - coldCount);
  const cold = await run(spec(`(b) cold: ${coldCount.toLocaleString("en-US")} keys in turn, cache misses`, "/api/v1/me", () => rotateBearer(recentlyUsed)));

  const tutorial = await run(
    spec("(d) tutorial: bcrypt cost 12 per request", "/api/bench/tutorial", bearer(keys.tutorial), { durationSeconds: Math.max(10, durationSeconds) }),
  );
  const malformed = await run(spec("(e) malformed keys", "/api/v1/me", () => rotateBearer(malformedKeys(keys.hot))));
  const unknownFigures = await run(unknown);

  const [hotUnderFlood, floodAlongsideHot] = (
    await runConcurrently([
      { ...hot, title: "(a) hot, during an unknown-key flood" },
      { ...unknown, title: "    the flood alongside it" },
    ])
  ).map(report);

  const pacedRate = Math.max(10, Math.round((hotFigures.rps / targets.length) * settings.pacedShare));
  const paced = { ...hot, overallRate: pacedRate };
  const pacedAlone = await run({ ...paced, title: `(a) paced at ${pacedRate * targets.length} req/s` });
  const [pacedUnderFlood, floodAlongsidePaced] = (
    await runConcurrently([
      { ...paced, title: `(a) paced at ${pacedRate * targets.length} req/s, during a flood` },
      { ...unknown, title: "    the flood alongside it" },
    ])
  ).map(report);

  const ceilingAgain = await run({ ...noop, title: "(c) ceiling again, at the end" });
  return {
    figures: {
      ceiling,
      shaped: shapedFigures,
      hot: hotFigures,
      coldFirstUse,
      cold,
      tutorial,
      malformed,
      unknown: unknownFigures,
      hotUnderFlood,
      floodAlongsideHot,
      pacedAlone,
      pacedUnderFlood,
      floodAlongsidePaced,
      ceilingAgain,
    },
    cold: { keys: coldCount, firstUseSeconds: coldFirstUse.seconds },
  };
}
