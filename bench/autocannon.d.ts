// The part of autocannon's programmatic API the benchmark uses (the package ships no types).
declare module "autocannon" {
  export interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  }

  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    overallRate?: number;
    timeout?: number;
    headers?: Record<string, string>;
    requests?: AutocannonRequest[];
    skipAggregateResult?: boolean;
    title?: string;
  }

  export interface Histogram {
    min: number;
    max: number;
    average: number;
    p50: number;
    p99: number;
    totalCount?: number;
  }

  /** What one instance returns when run with skipAggregateResult: encoded histograms and counters. */
  export interface InstanceResult {
    totalCompletedRequests: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    duration: number;
    statusCodeStats: Record<string, { count: number }>;
  }

  export interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    "2xx": number;
    "4xx": number;
    "5xx": number;
    latency: Histogram;
    statusCodeStats: Record<string, { count: number }>;
  }

  export interface Autocannon {
    (options: Options & { skipAggregateResult: true }): Promise<InstanceResult>;
    (options: Options): Promise<Result>;
    aggregateResult(results: InstanceResult[], options: { url: string; connections?: number; title?: string }): Result;
  }

  const autocannon: Autocannon;
  export default autocannon;
}
