/**
 * Runs once when a Keyport server process starts (Next.js instrumentation hook): joins the
 * revocation broadcast in scale-out mode and warms the password-hash dummy so the first
 * unknown-email sign-in takes as long as any other.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startInvalidationBroadcast } = await import("./lib/api-keys/invalidation-broadcast");
  const { warmPasswordHashing } = await import("./lib/passwords");
  startInvalidationBroadcast();
  void warmPasswordHashing();
}
