import { KeyportNetworkError, KeyportTimeoutError } from "./errors.js";

export interface RetryOptions {
  /** How long one attempt may take, in ms (default 10,000). */
  timeoutMs?: number;
  /** Further attempts of an idempotent call (GET, HEAD) after a 503 or a network error (default 2). */
  retries?: number;
  /** The first backoff, doubled at each retry, with jitter (default 200 ms). */
  retryBaseDelayMs?: number;
  /** A wait longer than this (a long `Retry-After`) is not waited: the 503 is returned (default 5,000 ms). */
  maxRetryDelayMs?: number;
  /** Replaces the timer between retries (tests pass one that records the delays). */
  sleep?: (ms: number) => Promise<void>;
  /** The fetch to send with (default globalThis.fetch). */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * Methods whose retry cannot change the outcome. POST (create, roll, verify: a verify counts
 * against the key's rate limit), PATCH and DELETE (a second revoke answers 409) are sent once.
 */
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The wait before retry number `retry` (1-based): Retry-After when given, else backoff with jitter. */
export function retryDelayMs(retry: number, retryAfter: string | null, base: number, random: () => number = Math.random): number {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return Math.round(base * 2 ** (retry - 1) * (0.5 + random() / 2));
}

/**
 * A fetch with a timeout on every attempt, and retries with backoff for idempotent calls on
 * a 503 or a network error (a timeout included). Errors become KeyportNetworkError or
 * KeyportTimeoutError; a caller's own abort is passed through unchanged.
 */
export function createTransport(options: RetryOptions = {}): (request: Request) => Promise<Response> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 2;
  const base = options.retryBaseDelayMs ?? 200;
  const maxDelay = options.maxRetryDelayMs ?? 5_000;
  const sleep = options.sleep ?? defaultSleep;
  const send = options.fetch ?? ((request: Request) => globalThis.fetch(request));

  return async (request) => {
    const attempts = IDEMPOTENT_METHODS.has(request.method.toUpperCase()) ? retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      const timeout = AbortSignal.timeout(timeoutMs);
      // A body can be read once: each attempt sends a copy (only GET/HEAD/OPTIONS are repeated).
      const copy = attempts > 1 ? request.clone() : request;
      let response: Response;
      try {
        response = await send(new Request(copy, { signal: AbortSignal.any([request.signal, timeout]) }));
      } catch (error) {
        if (request.signal.aborted) throw error;
        const failure = timeout.aborted ? new KeyportTimeoutError(timeoutMs) : new KeyportNetworkError(`Keyport could not be reached: ${describe(error)}`, { cause: error });
        if (attempt >= attempts) throw failure;
        await sleep(retryDelayMs(attempt, null, base));
        continue;
      }
      if (response.status !== 503 || attempt >= attempts) return response;
      const delay = retryDelayMs(attempt, response.headers.get("retry-after"), base);
      if (delay > maxDelay) return response;
      await response.body?.cancel();
      await sleep(delay);
    }
  };
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
