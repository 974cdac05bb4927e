import { describe, expect, it } from "vitest";
import { hashApiKey } from "@/lib/api-keys/key-format";
import { loadKeySnapshot } from "@/lib/api-keys/load-key-snapshot";
import { db } from "@/lib/db";
import { createTestKey, createTestUser } from "../helpers/factories";

/** The same snapshot through Prisma's own query: what the raw SQL must agree with. */
async function snapshotThroughPrisma(keyId: string) {
  const key = await db.apiKey.findUniqueOrThrow({ where: { id: keyId }, include: { owner: true, team: true } });
  const ms = (date: Date | null) => date?.getTime() ?? null;
  return {
    id: key.id,
    keyHash: key.keyHash,
    name: key.name,
    start: key.start,
    environment: key.environment,
    scopes: key.scopes.split(" ").filter(Boolean),
    legacy: key.legacy,
    rateLimitPerMinute: key.rateLimitPerMinute,
    createdAt: key.createdAt.getTime(),
    expiresAt: ms(key.expiresAt),
    revokedAt: ms(key.revokedAt),
    revokedReason: key.revokedReason,
    graceEndsAt: ms(key.graceEndsAt),
    rolledFromId: key.rolledFromId,
    ipAllowlist: key.ipAllowlist ? key.ipAllowlist.split(" ") : [],
    retireRolledFromAfterMs: key.retireRolledFromAfterMs,
    owner: { id: key.owner.id, email: key.owner.email, name: key.owner.name, disabled: key.owner.disabledAt !== null || key.owner.deletedAt !== null, role: key.owner.role },
    team: key.team ? { id: key.team.id, slug: key.team.slug, name: key.team.name, suspended: key.team.suspendedAt !== null || key.team.deletedAt !== null } : null,
  };
}

describe("loadKeySnapshot (the raw SQL of the cache-miss path)", () => {
  it("reads every field as Prisma does, for a plain key and for one with every optional field set", async () => {
    const owner = await createTestUser({ name: "Snapshot Owner" });
    const plain = await createTestKey(owner.id, { name: "plain" });
    expect(await loadKeySnapshot(hashApiKey(plain.secret))).toEqual(await snapshotThroughPrisma(plain.key.id));

    const full = await createTestKey(owner.id, { name: "every field", environment: "live", scopes: ["me:read", "keys:read"] });
    await db.apiKey.update({
      where: { id: full.key.id },
      data: {
        legacy: true,
        rateLimitPerMinute: 42,
        expiresAt: new Date("2031-02-03T04:05:06.789Z"),
        revokedAt: new Date("2030-01-01T00:00:00.001Z"),
        revokedReason: "an admin's reason",
        graceEndsAt: new Date("2030-06-01T12:00:00.000Z"),
        rolledFromId: plain.key.id,
        retireRolledFromAfterMs: 3_600_000,
        ipAllowlist: "10.0.0.0/8 2001:db8::/32",
      },
    });
    await db.user.update({ where: { id: owner.id }, data: { disabledAt: new Date() } });
    const snapshot = await loadKeySnapshot(hashApiKey(full.secret));
    expect(snapshot).toEqual(await snapshotThroughPrisma(full.key.id));
    // Spelled out, so a field that both readers got wrong the same way still fails.
    expect(snapshot).toMatchObject({
      environment: "live",
      scopes: ["keys:read", "me:read"],
      legacy: true,
      rateLimitPerMinute: 42,
      expiresAt: Date.parse("2031-02-03T04:05:06.789Z"),
      revokedAt: Date.parse("2030-01-01T00:00:00.001Z"),
      ipAllowlist: ["10.0.0.0/8", "2001:db8::/32"],
      retireRolledFromAfterMs: 3_600_000,
      owner: { id: owner.id, name: "Snapshot Owner", disabled: true },
    });
  });

  it("reads a team key's team, and a suspended or deleted team as suspended", async () => {
    const creator = await createTestUser();
    const team = await db.team.create({ data: { slug: `snap-${creator.id.slice(-8)}`, name: "Snapshot Team" } });
    const key = await createTestKey(creator.id, { name: "team key" });
    await db.apiKey.update({ where: { id: key.key.id }, data: { teamId: team.id } });
    expect(await loadKeySnapshot(hashApiKey(key.secret))).toEqual(await snapshotThroughPrisma(key.key.id));
    expect((await loadKeySnapshot(hashApiKey(key.secret)))?.team).toEqual({ id: team.id, slug: team.slug, name: "Snapshot Team", suspended: false });
    await db.team.update({ where: { id: team.id }, data: { suspendedAt: new Date() } });
    expect((await loadKeySnapshot(hashApiKey(key.secret)))?.team?.suspended).toBe(true);
    await db.team.update({ where: { id: team.id }, data: { suspendedAt: null, deletedAt: new Date() } });
    expect((await loadKeySnapshot(hashApiKey(key.secret)))?.team?.suspended).toBe(true);
    expect(await loadKeySnapshot(hashApiKey(key.secret))).toEqual(await snapshotThroughPrisma(key.key.id));
  });

  it("answers null for a hash no key has", async () => {
    expect(await loadKeySnapshot("0".repeat(64))).toBeNull();
  });
});
