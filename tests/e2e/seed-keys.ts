// Seeds a realistic key list for one user of the e2e database, the way the CLI would (through
// lib/, so every key is made by the key policy's own create, roll and revoke):
//   node --import tsx tests/e2e/seed-keys.ts <email> <prefix>
// 70 keys: 40 active (some live, some used "5 minutes ago", some expiring soon), one rolled so
// a key is in grace, 15 revoked and 14 expired. Prints a JSON summary on stdout.
async function main() {
  const [email, prefix] = process.argv.slice(2);
  const { db } = await import("../../lib/db");
  const { createApiKey } = await import("../../lib/api-keys/create-api-key");
  const { revokeApiKey } = await import("../../lib/api-keys/revoke-api-key");
  const { rollApiKey } = await import("../../lib/api-keys/roll-api-key");
  const user = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  const context = { actorId: user.id };
  const now = Date.now();
  // The e2e server writes to the same SQLite file meanwhile: a write that waited too long was
  // rolled back whole ("timed out"), so it is simply tried again.
  // Between writes the seeder leaves the file's write lock free for a moment: back-to-back
  // transactions from this process starved the server's own writes into SQLite timeouts.
  const retry = async <T>(write: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await new Promise((resolve) => setTimeout(resolve, 25));
        return await write();
      } catch (error) {
        if (attempt >= 5 || !String(error).includes("timed out")) throw error;
      }
    }
  };
  const make = async (index: number, kind: string, environment: "test" | "live", expiresAt: Date | null = null) => {
    const name = `${prefix} ${kind} ${String(index).padStart(2, "0")}`;
    const { key } = await retry(() => createApiKey({ ownerId: user.id, name, environment, scopes: ["me:read", "keys:read"], expiresAt }, context));
    return key;
  };
  // Ended keys first (they free their place under the active-key cap), so the newest are working ones.
  for (let i = 1; i <= 14; i++) {
    const key = await make(i, "expired", i % 2 ? "test" : "live");
    await retry(() => db.apiKey.update({ where: { id: key.id }, data: { expiresAt: new Date(now - i * 60_000) } }));
  }
  for (let i = 1; i <= 15; i++) {
    const key = await make(i, "revoked", i % 3 ? "test" : "live");
    await retry(() => revokeApiKey({ keyId: key.id, ownerId: user.id }, context));
  }
  for (let i = 1; i <= 40; i++) {
    const expiresAt = i % 10 === 0 ? new Date(now + 3 * 86_400_000) : i % 4 === 0 ? new Date(now + 200 * 86_400_000) : null;
    const key = await make(i, "active", i % 3 === 0 ? "live" : "test", expiresAt);
    if (i % 2) await retry(() => db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date(now - 5 * 60_000) } }));
  }
  // The 70th key: a roll of "active 40", which leaves that one in grace for a day.
  const toRoll = await db.apiKey.findFirstOrThrow({ where: { ownerId: user.id, name: `${prefix} active 40` }, select: { id: true } });
  const rolled = await retry(() => rollApiKey({ keyId: toRoll.id, ownerId: user.id, graceMs: 86_400_000, nameAsRolled: true }, context));
  const total = await db.apiKey.count({ where: { ownerId: user.id } });
  console.log(JSON.stringify({ total, rolledName: rolled.key.name }));
  await db.$disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
