/**
 * The database tests may use. Refuses anything that is not on this machine, so a test run
 * can never touch a real deployment's data by accident.
 */
export function testDatabaseUrl(fallback: () => string): string {
  const url = process.env.TEST_DATABASE_URL || fallback();
  if (url.startsWith("file:")) return url;
  const host = /^postgres(?:ql)?:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?]+)/.exec(url)?.[1];
  if (!host || !["127.0.0.1", "localhost", "[::1]"].includes(host)) {
    throw new Error(`Refusing to run tests against a non-local database (${host ?? "unparseable URL"}).`);
  }
  return url;
}
