import { describe, expect, it } from "vitest";
import { hashApiKey } from "@/lib/api-keys/key-format";
import { renameApiKey } from "@/lib/api-keys/rename-api-key";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { rollApiKey } from "@/lib/api-keys/roll-api-key";
import { verificationCache } from "@/lib/api-keys/verification-cache";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { flushKeyUses } from "@/lib/api-keys/last-used";
import { loadKeySnapshot } from "@/lib/api-keys/load-key-snapshot";
import { invalidate } from "@/lib/api-keys/key-events";
import { db } from "@/lib/db";
import { createTestKey, createTestUser } from "../helpers/factories";

const HOUR = 3_600_000;

describe("createApiKey", () => {
  it("stores only the hash and the display start, never the plaintext", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.keyHash).toBe(hashApiKey(secret));
    expect(row.start).toBe(secret.slice(0, 12));
    expect(JSON.stringify(row)).not.toContain(secret.slice(12));
    const events = await db.auditEvent.findMany({ where: { targetKeyId: key.id } });
    expect(events.map((event) => event.action)).toEqual(["key.created"]);
    expect(JSON.stringify(events)).not.toContain(secret.slice(12));
  });

  it("refuses a key beyond the per-user cap of active keys", async () => {
    const user = await createTestUser();
    const { env } = await import("@/lib/env");
    await db.apiKey.createMany({
      data: Array.from({ length: env.MAX_ACTIVE_KEYS_PER_USER }, (_, i) => ({
        ownerId: user.id,
        name: `bulk ${i}`,
        environment: "test" as const,
        scopes: "me:read",
        keyHash: `bulk-${user.id}-${i}`,
        start: "kp_test_bulk",
      })),
    });
    await expect(createTestKey(user.id)).rejects.toMatchObject({ code: "limit_reached" });
  });
});

describe("verifyApiKey", () => {
  it("accepts a valid key and returns the key and its owner", async () => {
    const user = await createTestUser({ name: "Ada" });
    const { key, secret } = await createTestKey(user.id, { scopes: ["me:read", "keys:read"] });
    const result = await verifyApiKey(secret, { scopes: ["me:read"] });
    expect(result).toMatchObject({ ok: true, key: { id: key.id, owner: { id: user.id, email: user.email, name: "Ada" } } });
  });

  it("answers missing for no key and malformed for a bad shape or checksum", async () => {
    const user = await createTestUser();
    const { secret } = await createTestKey(user.id);
    expect(await verifyApiKey(undefined)).toEqual({ ok: false, reason: "missing" });
    expect(await verifyApiKey("")).toEqual({ ok: false, reason: "missing" });
    expect(await verifyApiKey("not-a-key")).toEqual({ ok: false, reason: "malformed" });
    const flipped = secret.slice(0, 20) + (secret[20] === "a" ? "b" : "a") + secret.slice(21);
    expect(await verifyApiKey(flipped)).toEqual({ ok: false, reason: "malformed" });
    expect(await verifyApiKey(secret.slice(0, -2))).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses a key whose looked-up snapshot belongs to another hash (a cache or index returning a neighbour)", async () => {
    const user = await createTestUser();
    const presented = await createTestKey(user.id, { name: "presented" });
    const neighbour = await createTestKey(user.id, { name: "neighbour" });
    const neighbourSnapshot = await loadKeySnapshot(hashApiKey(neighbour.secret));
    // Plant the neighbour's snapshot under the presented key's hash.
    verificationCache.set(hashApiKey(presented.secret), neighbourSnapshot, verificationCache.beginRead());
    expect(await verifyApiKey(presented.secret)).toEqual({ ok: false, reason: "unknown" });
    verificationCache.invalidateKey(neighbour.key.id);
  });

  it("answers unknown for a well-formed key that was never issued", async () => {
    const { generateApiKey } = await import("@/lib/api-keys/key-format");
    expect(await verifyApiKey(generateApiKey("kp", "live").secret)).toEqual({ ok: false, reason: "unknown" });
  });

  it("a revoked key is refused on the next request, even though it was cached", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    expect((await verifyApiKey(secret)).ok).toBe(true);
    await revokeApiKey({ keyId: key.id, ownerId: user.id, reason: "leaked" }, { actorId: user.id });
    expect(await verifyApiKey(secret)).toMatchObject({ ok: false, reason: "revoked" });
  });

  it("an expired key is refused from the instant of its expiry, cached or not", async () => {
    const user = await createTestUser();
    const expiresAt = new Date(Date.now() + HOUR);
    const { secret } = await createTestKey(user.id, { expiresAt });
    expect((await verifyApiKey(secret, { now: expiresAt.getTime() - 1 })).ok).toBe(true);
    expect(await verifyApiKey(secret, { now: expiresAt.getTime() })).toMatchObject({ ok: false, reason: "expired" });
  });

  it("a disabled owner's keys are refused once the owner is invalidated", async () => {
    const user = await createTestUser();
    const { secret } = await createTestKey(user.id);
    expect((await verifyApiKey(secret)).ok).toBe(true);
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    invalidate({ kind: "owner", id: user.id });
    expect(await verifyApiKey(secret)).toMatchObject({ ok: false, reason: "owner_disabled" });
  });

  it("a key without a required scope gets insufficient_scope naming what is missing", async () => {
    const user = await createTestUser();
    const { secret } = await createTestKey(user.id, { scopes: ["me:read"] });
    expect(await verifyApiKey(secret, { scopes: ["me:read", "keys:write"] })).toMatchObject({
      ok: false,
      reason: "insufficient_scope",
      missingScopes: ["keys:write"],
    });
  });

  it("a hot key is answered from the cache without a database read", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    await verifyApiKey(secret);
    // Change the row behind the cache's back: a cached answer does not see it.
    await db.apiKey.update({ where: { id: key.id }, data: { name: "renamed directly" } });
    const cached = await verifyApiKey(secret);
    expect(cached.ok && cached.key.name).toBe("test key");
    verificationCache.invalidateKey(key.id);
    const fresh = await verifyApiKey(secret);
    expect(fresh.ok && fresh.key.name).toBe("renamed directly");
  });

  it("records lastUsedAt off the response path, in batches, at most once a minute", async () => {
    const user = await createTestUser();
    const keys = await Promise.all([createTestKey(user.id), createTestKey(user.id), createTestKey(user.id)]);
    const lastUsed = async () => (await db.apiKey.findMany({ where: { ownerId: user.id }, select: { lastUsedAt: true } })).map((key) => key.lastUsedAt);
    const usedAt = Date.now();
    for (const { secret } of keys) await verifyApiKey(secret, { now: usedAt });
    // Buffered, not written by the verification itself.
    expect(await lastUsed()).toEqual([null, null, null]);
    await flushKeyUses();
    const second = new Date(Math.floor(usedAt / 1_000) * 1_000);
    expect(await lastUsed()).toEqual([second, second, second]);

    // Ten seconds later is within the minute: nothing more is written.
    await verifyApiKey(keys[0].secret, { now: usedAt + 10_000 });
    await flushKeyUses();
    expect(await lastUsed()).toEqual([second, second, second]);
    // A minute later it is.
    await verifyApiKey(keys[0].secret, { now: usedAt + 61_000 });
    await flushKeyUses();
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: keys[0].key.id } })).lastUsedAt).toEqual(new Date(second.getTime() + 61_000));
  });

  it("writes buffered lastUsedAt within about a second without being asked", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    await verifyApiKey(secret);
    await expect.poll(async () => (await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt, { timeout: 3_000 }).toBeInstanceOf(Date);
  });
});

describe("rollApiKey and renameApiKey", () => {
  it("a rolled key keeps working until its grace ends; the new key works at once", async () => {
    const user = await createTestUser();
    const { key, secret: oldSecret } = await createTestKey(user.id, { scopes: ["me:read", "keys:read"] });
    const rolled = await rollApiKey({ keyId: key.id, ownerId: user.id, graceMs: HOUR }, { actorId: user.id });
    expect(rolled.secret).not.toBe(oldSecret);
    expect(rolled.key).toMatchObject({ name: key.name, scopes: key.scopes, environment: key.environment, rolledFromId: key.id });
    expect((await verifyApiKey(oldSecret)).ok).toBe(true);
    expect((await verifyApiKey(rolled.secret)).ok).toBe(true);
    expect(await verifyApiKey(oldSecret, { now: rolled.graceEndsAt!.getTime() })).toMatchObject({ ok: false, reason: "expired" });
    expect((await verifyApiKey(rolled.secret, { now: rolled.graceEndsAt!.getTime() })).ok).toBe(true);
    await expect(rollApiKey({ keyId: key.id, graceMs: 0 }, { actorId: user.id })).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("a roll with no grace stops the old key at once", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    await verifyApiKey(secret);
    await rollApiKey({ keyId: key.id, graceMs: 0 }, { actorId: user.id });
    expect(await verifyApiKey(secret)).toMatchObject({ ok: false, reason: "expired" });
  });

  it("each change writes its audit event, and another owner's key is not found", async () => {
    const owner = await createTestUser();
    const stranger = await createTestUser();
    const { key } = await createTestKey(owner.id);
    await expect(renameApiKey({ keyId: key.id, ownerId: stranger.id, name: "mine now" }, { actorId: stranger.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(revokeApiKey({ keyId: key.id, ownerId: stranger.id }, { actorId: stranger.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(rollApiKey({ keyId: key.id, ownerId: stranger.id, graceMs: 0 }, { actorId: stranger.id })).rejects.toMatchObject({ code: "not_found" });
    await renameApiKey({ keyId: key.id, ownerId: owner.id, name: "renamed" }, { actorId: owner.id });
    await rollApiKey({ keyId: key.id, ownerId: owner.id, graceMs: HOUR }, { actorId: owner.id });
    await revokeApiKey({ keyId: key.id, ownerId: owner.id }, { actorId: owner.id });
    const actions = (await db.auditEvent.findMany({ where: { targetKeyId: key.id }, orderBy: { createdAt: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["key.created", "key.renamed", "key.rolled", "key.revoked"]);
  });
});

describe("recordGraceEndings", () => {
  it("writes one key.grace_ended event per ended grace, never twice", async () => {
    const user = await createTestUser();
    const { key } = await createTestKey(user.id);
    const rolled = await rollApiKey({ keyId: key.id, graceMs: 0 }, { actorId: user.id });
    const { recordGraceEndings } = await import("@/lib/api-keys/record-grace-endings");
    await recordGraceEndings(new Date(rolled.graceEndsAt!.getTime() + 1));
    await recordGraceEndings(new Date(rolled.graceEndsAt!.getTime() + 1));
    const events = await db.auditEvent.findMany({ where: { targetKeyId: key.id, action: "key.grace_ended" } });
    expect(events).toHaveLength(1);
    expect(events[0].actorId).toBeNull();
  });
});
