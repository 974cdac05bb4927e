/**
 * Runs once when a Keyport server process starts (Next.js instrumentation hook): joins the
 * revocation broadcast in scale-out mode, warms the password-hash dummy so the first
 * unknown-email sign-in takes as long as any other, records ended grace periods, and starts
 * the background jobs (the outbox worker and key-expiry reminders, lib/background-jobs.ts).
 * (NEXT_RUNTIME is Next's own variable, not configuration, so it is read here directly.)
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startInvalidationBroadcast } = await import("./lib/api-keys/invalidation-broadcast");
  const { warmPasswordHashing } = await import("./lib/passwords");
  const { recordGraceEndings } = await import("./lib/api-keys/record-grace-endings");
  const { startServerJobs } = await import("./lib/background-jobs");
  startInvalidationBroadcast();
  void warmPasswordHashing();
  // Grace endings are enforced by the clock; this only writes their audit events.
  const sweep = () => recordGraceEndings().catch(() => undefined);
  setInterval(sweep, 30_000).unref();
  void sweep();
  startServerJobs();
}
