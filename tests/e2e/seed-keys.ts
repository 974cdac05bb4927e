// Seeds a realistic key list for one user of the e2e database, through lib/ (the key format's
// generator and the key policy's own roll):
//   node --import tsx tests/e2e/seed-keys.ts <email> <prefix>
// 70 keys: 40 active (some live, some used "5 minutes ago", some expiring soon), one rolled so
// a key is in grace, 15 revoked and 14 expired. Prints a JSON summary on stdout.
// The rows go in with one createMany: the e2e server writes to the same SQLite file meanwhile,
// and a hundred back-to-back transactions from here made its own writes time out.
import type { Prisma } from "../../lib/generated/sqlite/client";

async function main() {
  const [email, prefix] = process.argv.slice(2);
  const { db } = await import("../../lib/db");
  const { env } = await import("../../lib/env");
  const { generateApiKey } = await import("../../lib/api-keys/key-format");
  const { rollApiKey } = await import("../../lib/api-keys/roll-api-key");
  const user = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  const now = Date.now();
  const rows: Prisma.ApiKeyCreateManyInput[] = [];
  let order = 0;
  const add = (index: number, kind: string, environment: "test" | "live", fields: { expiresAt?: Date; revokedAt?: Date; lastUsedAt?: Date } = {}) => {
    const generated = generateApiKey(env.KEY_PREFIX, environment);
    rows.push({
      ownerId: user.id,
      name: `${prefix} ${kind} ${String(index).padStart(2, "0")}`,
      environment,
      scopes: "keys:read me:read",
      keyHash: generated.hash,
      start: generated.start,
      // Distinct creation times, oldest first, so "newest first" is a stable order.
      createdAt: new Date(now - (100 - order++) * 1000),
      ...fields,
    });
  };
  for (let i = 1; i <= 14; i++) add(i, "expired", i % 2 ? "test" : "live", { expiresAt: new Date(now - i * 60_000) });
  for (let i = 1; i <= 15; i++) add(i, "revoked", i % 3 ? "test" : "live", { revokedAt: new Date(now - i * 60_000) });
  for (let i = 1; i <= 40; i++) {
    const expiresAt = i % 10 === 0 ? new Date(now + 3 * 86_400_000) : i % 4 === 0 ? new Date(now + 200 * 86_400_000) : undefined;
    add(i, "active", i % 3 === 0 ? "live" : "test", { ...(expiresAt ? { expiresAt } : {}), ...(i % 2 ? { lastUsedAt: new Date(now - 5 * 60_000) } : {}) });
  }
  await db.apiKey.createMany({ data: rows });
  // The 70th key: a roll of "active 40" through the key policy, which leaves that one in grace for a day.
  const toRoll = await db.apiKey.findFirstOrThrow({ where: { ownerId: user.id, name: `${prefix} active 40` }, select: { id: true } });
  // The e2e server renews its reminder lease every JOBS_INTERVAL_MS (250 ms), so SQLite may refuse
  // the roll as busy: it is retried (lib/sqlite-busy-retry.ts).
  const { withBusyRetries } = await import("../../lib/sqlite-busy-retry");
  const rolled = await withBusyRetries(() => rollApiKey({ keyId: toRoll.id, ownerId: user.id, graceMs: 86_400_000, nameAsRolled: true }, { actorId: user.id }));
  const total = await db.apiKey.count({ where: { ownerId: user.id } });
  console.log(JSON.stringify({ total, rolledName: rolled.key.name }));
  await db.$disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
