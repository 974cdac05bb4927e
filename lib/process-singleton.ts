/**
 * One instance per process, however many bundles import the module. Next.js compiles
 * route handlers, pages and server actions into separate bundles, each with its own copy
 * of every module; state that must be shared (the verification cache, rate-limit counters,
 * database and Redis connections) lives on globalThis under a registered symbol instead.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`keyport.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  return (store[key] ??= create());
}
