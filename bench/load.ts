import autocannon, { type AutocannonRequest, type InstanceResult } from "autocannon";

/** One load run: the same traffic against every target at once, one autocannon instance per target. */
export interface LoadSpec {
  title: string;
  /** Base URLs of the servers; with two, each gets its own autocannon instance and the figures are added. */
  targets: string[];
  path: string;
  /** Makes each target's header source, which is called once per request (so a rotation can cycle keys). */
  headers: () => () => Record<string, string>;
  /** Connections per target. */
  connections: number;
  durationSeconds?: number;
  /** A fixed number of requests per target instead of a duration (used for warm-up passes). */
  amount?: number;
  /** Requests a second per target, for paced (not saturating) traffic. */
  overallRate?: number;
}

/** What a run measured, added over all targets. Latencies are autocannon's, in whole milliseconds. */
export interface Figures {
  title: string;
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  status2xx: number;
  status4xx: number;
  status5xx: number;
  statusCodes: Record<string, number>;
  connections: number;
  overallRate?: number;
  /** req/s of each slice, when the scenario ran in several (a sign of how steady the machine was). */
  sliceRps: number[];
}

interface Slice {
  runs: InstanceResult[];
  seconds: number;
}

/** One autocannon instance per target, all at once; a slice of a scenario. */
async function runSlice(spec: LoadSpec): Promise<Slice> {
  const runs = await Promise.all(
    spec.targets.map((target) => {
      const nextHeaders = spec.headers();
      const request: AutocannonRequest = {
        method: "GET",
        path: spec.path,
        setupRequest: (raw) => ({ ...raw, headers: { ...raw.headers, ...nextHeaders() } }),
      };
      return autocannon({
        url: target,
        connections: spec.connections,
        ...(spec.amount ? { amount: spec.amount } : { duration: spec.durationSeconds ?? 10 }),
        ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
        // The tutorial's bcrypt route queues requests for seconds: do not count that as a failure.
        timeout: 30,
        requests: [request],
        skipAggregateResult: true,
      });
    }),
  );
  return { runs, seconds: Math.max(...runs.map((run) => run.duration)) };
}

/** Adds slices up: requests and seconds summed, latency percentiles from the merged histograms. */
function figuresOf(spec: LoadSpec, slices: Slice[]): Figures {
  const runs = slices.flatMap((slice) => slice.runs);
  const merged = autocannon.aggregateResult(runs, { url: spec.targets[0], connections: spec.connections * spec.targets.length, title: spec.title });
  const requests = runs.reduce((sum, run) => sum + run.totalCompletedRequests, 0);
  const seconds = slices.reduce((sum, slice) => sum + slice.seconds, 0);
  const statusCodes = Object.fromEntries(Object.entries(merged.statusCodeStats).map(([code, { count }]) => [code, count]));
  return {
    title: spec.title,
    requests,
    seconds,
    rps: requests / seconds,
    p50: merged.latency.p50,
    p99: merged.latency.p99,
    max: merged.latency.max,
    errors: merged.errors,
    non2xx: merged.non2xx,
    status2xx: merged["2xx"],
    status4xx: merged["4xx"],
    status5xx: merged["5xx"],
    statusCodes,
    connections: spec.connections * spec.targets.length,
    overallRate: spec.overallRate ? spec.overallRate * spec.targets.length : undefined,
    sliceRps: slices.map((slice) => slice.runs.reduce((sum, run) => sum + run.totalCompletedRequests, 0) / slice.seconds),
  };
}

/** Runs a LoadSpec and returns its figures. */
export async function runLoad(spec: LoadSpec): Promise<Figures> {
  return figuresOf(spec, [await runSlice(spec)]);
}

/**
 * Runs the specs in turn, `rounds` times over, each slice durationSeconds / rounds long, and
 * adds each spec's slices up: a burst of load elsewhere then falls on all of them alike.
 */
export async function runAlternating(specs: LoadSpec[], rounds: number): Promise<Figures[]> {
  const slices: Slice[][] = specs.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, spec] of specs.entries()) slices[i].push(await runSlice({ ...spec, durationSeconds: (spec.durationSeconds ?? 10) / rounds }));
  }
  return specs.map((spec, i) => figuresOf(spec, slices[i]));
}

/** Runs several LoadSpecs at the same time (valid traffic under a flood), each measured on its own. */
export function runConcurrently(specs: LoadSpec[]): Promise<Figures[]> {
  return Promise.all(specs.map(runLoad));
}

/** A header source that hands out the keys in turn across all connections, so each key recurs only every keys.length requests. */
export function rotateBearer(keys: readonly string[]): () => Record<string, string> {
  let next = 0;
  return () => ({ authorization: `Bearer ${keys[next++ % keys.length]}` });
}
