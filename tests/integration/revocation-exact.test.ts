import { describe, expect, it, vi } from "vitest";

// A small cache, so the id -> hash index's bound can be seen with a handful of keys.
vi.hoisted(() => {
  process.env.KEY_CACHE_MAX_ENTRIES = "8";
});

import { hashApiKey } from "@/lib/api-keys/key-format";
import { loadKeySnapshot } from "@/lib/api-keys/load-key-snapshot";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { verificationCache } from "@/lib/api-keys/verification-cache";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { db } from "@/lib/db";
import { createTestKey, createTestUser } from "../helpers/factories";

const ctx = (actorId: string) => ({ actorId, ip: "127.0.0.1", userAgent: "vitest" });

describe("revocation is exact", () => {
  it("a read in flight when the key is revoked does not put the old snapshot back into the cache", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    const hash = hashApiKey(secret);

    // A cache miss, step by step: the read begins and fetches the still-valid row...
    const ticket = verificationCache.beginRead();
    const stale = await loadKeySnapshot(hash);
    expect(stale?.revokedAt).toBeNull();
    // ...the key is revoked (and invalidated) while that read is in flight...
    await revokeApiKey({ keyId: key.id, ownerId: user.id }, ctx(user.id));
    // ...and the read then finishes: it must not cache what it read.
    expect(verificationCache.set(hash, stale, ticket)).toBe(false);
    expect(verificationCache.get(hash)).toBeUndefined();
    expect(await verifyApiKey(secret)).toMatchObject({ ok: false, reason: "revoked" });
  });

  it("under concurrency, a verify racing a revoke never leaves the key usable afterwards", async () => {
    const user = await createTestUser();
    for (let round = 0; round < 25; round++) {
      const { key, secret } = await createTestKey(user.id, { name: `race ${round}` });
      await Promise.all([verifyApiKey(secret), verifyApiKey(secret), revokeApiKey({ keyId: key.id, ownerId: user.id }, ctx(user.id)), verifyApiKey(secret)]);
      expect(await verifyApiKey(secret)).toMatchObject({ ok: false, reason: "revoked" });
    }
  });

  it("a revoked key is refused whatever this instance's clock says (revoked 'in its future')", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    await revokeApiKey({ keyId: key.id, ownerId: user.id }, ctx(user.id));
    const revokedAt = (await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt!.getTime();
    // An instance whose clock is a minute behind the one that revoked the key.
    expect(await verifyApiKey(secret, { now: revokedAt - 60_000 })).toMatchObject({ ok: false, reason: "revoked" });
  });

  it("the id -> hash index is bounded with the cache, not by the key table", async () => {
    const user = await createTestUser();
    const keys = await Promise.all(Array.from({ length: 20 }, (_, i) => createTestKey(user.id, { name: `k${i}` })));
    for (const { secret } of keys) expect((await verifyApiKey(secret)).ok).toBe(true);
    expect(verificationCache.size).toBeLessThanOrEqual(8);
    expect(verificationCache.indexSize).toBeLessThanOrEqual(verificationCache.size);
    // The newest entries can still be revoked through the index.
    const last = keys[keys.length - 1];
    await revokeApiKey({ keyId: last.key.id, ownerId: user.id }, ctx(user.id));
    expect(await verifyApiKey(last.secret)).toMatchObject({ ok: false, reason: "revoked" });
  });
});
