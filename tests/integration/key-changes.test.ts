import { describe, expect, it } from "vitest";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as meRoute from "@/app/api/v1/me/route";
import { hashApiKey } from "@/lib/api-keys/key-format";
import { loadKeySnapshot } from "@/lib/api-keys/load-key-snapshot";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { rollApiKey } from "@/lib/api-keys/roll-api-key";
import { updateApiKey } from "@/lib/api-keys/update-api-key";
import { verificationCache } from "@/lib/api-keys/verification-cache";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { db } from "@/lib/db";
import { createTestKey, createTestUser } from "../helpers/factories";

const DAY = 86_400_000;
const ctx = (actorId: string) => ({ actorId, ip: "127.0.0.1", userAgent: "vitest" });
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function lastEvent(keyId: string, action: string) {
  const event = await db.auditEvent.findFirstOrThrow({ where: { targetKeyId: keyId, action }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return JSON.parse(event.details) as Record<string, unknown>;
}

describe("a change to a key is written and audited exactly as asked", () => {
  it("an update stores each field it changes, sorted scopes included, and audits each from/to, nothing else", async () => {
    const user = await createTestUser();
    const { key } = await createTestKey(user.id, { name: "before", scopes: ["me:read"], expiresAt: new Date(Date.now() + 10 * DAY), ipAllowlist: ["10.0.0.0/8"] });
    const expiresAt = new Date(Date.now() + 2 * DAY);
    await updateApiKey({ keyId: key.id, ownerId: user.id, name: "after", scopes: ["me:read", "keys:read"], expiresAt, ipAllowlist: ["10.1.0.0/16"] }, ctx(user.id));
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row).toMatchObject({ name: "after", scopes: "keys:read me:read", ipAllowlist: "10.1.0.0/16" });
    expect(row.expiresAt?.getTime()).toBe(expiresAt.getTime());
    expect(await lastEvent(key.id, "key.updated")).toEqual({
      name: { from: "before", to: "after" },
      scopes: { from: ["me:read"], to: ["keys:read", "me:read"] },
      expiresAt: { from: key.expiresAt!.toISOString(), to: expiresAt.toISOString() },
      ipAllowlist: { from: ["10.0.0.0/8"], to: ["10.1.0.0/16"] },
    });

    await updateApiKey({ keyId: key.id, ownerId: user.id, name: "only the name" }, ctx(user.id));
    expect(await lastEvent(key.id, "key.updated")).toEqual({ name: { from: "after", to: "only the name" } });
    const unchanged = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(unchanged).toMatchObject({ scopes: "keys:read me:read", ipAllowlist: "10.1.0.0/16" });
    expect(unchanged.expiresAt?.getTime()).toBe(expiresAt.getTime());

    await updateApiKey({ keyId: key.id, ownerId: user.id, expiresAt: null }, ctx(user.id));
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).expiresAt).toBeNull();
  });

  it("a revoked key keeps its access as it was: no new scopes, expiry or allowlist, though it may be renamed", async () => {
    const user = await createTestUser();
    const { key } = await createTestKey(user.id);
    await revokeApiKey({ keyId: key.id, ownerId: user.id }, ctx(user.id));
    await expect(updateApiKey({ keyId: key.id, ownerId: user.id, scopes: ["me:read", "keys:read"] }, ctx(user.id))).rejects.toMatchObject({ code: "invalid_state" });
    await expect(updateApiKey({ keyId: key.id, ownerId: user.id, ipAllowlist: [] }, ctx(user.id))).rejects.toMatchObject({ code: "invalid_state" });
    await expect(updateApiKey({ keyId: key.id, ownerId: user.id, name: "kept for the record" }, ctx(user.id))).resolves.toMatchObject({ name: "kept for the record" });
    await expect(revokeApiKey({ keyId: key.id, ownerId: user.id }, ctx(user.id))).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("a roll is audited with its new key and grace, and a chosen expiry from/to", async () => {
    const user = await createTestUser();
    const old = await createTestKey(user.id, { expiresAt: new Date(Date.now() + 3 * DAY) });
    const expiresAt = new Date(Date.now() + 9 * DAY);
    const rolled = await rollApiKey({ keyId: old.key.id, ownerId: user.id, graceMs: DAY, expiresAt }, ctx(user.id));
    expect(await lastEvent(old.key.id, "key.rolled")).toEqual({
      newKeyId: rolled.key.id,
      graceEndsAt: rolled.graceEndsAt!.toISOString(),
      expiresAt: { from: old.key.expiresAt!.toISOString(), to: expiresAt.toISOString() },
    });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: old.key.id } })).graceEndsAt?.getTime()).toBe(rolled.graceEndsAt!.getTime());

    const usageAware = await createTestKey(user.id);
    const waiting = await rollApiKey({ keyId: usageAware.key.id, ownerId: user.id, graceMs: DAY, startGraceOnFirstUse: true }, ctx(user.id));
    expect(waiting.graceEndsAt).toBeNull();
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: usageAware.key.id } })).graceEndsAt).toBeNull();
    expect(await lastEvent(usageAware.key.id, "key.rolled")).toEqual({ newKeyId: waiting.key.id, graceAfterFirstUseMs: DAY });
  });

  it("only an active key that has not been rolled can be rolled, and two rolls at once make one new key", async () => {
    const user = await createTestUser();
    const once = await createTestKey(user.id);
    await rollApiKey({ keyId: once.key.id, ownerId: user.id, graceMs: DAY }, ctx(user.id));
    await expect(rollApiKey({ keyId: once.key.id, ownerId: user.id, graceMs: DAY }, ctx(user.id))).rejects.toMatchObject({ code: "invalid_state" });
    const revoked = await createTestKey(user.id);
    await revokeApiKey({ keyId: revoked.key.id, ownerId: user.id }, ctx(user.id));
    await expect(rollApiKey({ keyId: revoked.key.id, ownerId: user.id, graceMs: 0 }, ctx(user.id))).rejects.toMatchObject({ code: "invalid_state" });
    const expired = await createTestKey(user.id, { expiresAt: new Date(Date.now() - 1000) });
    await expect(rollApiKey({ keyId: expired.key.id, ownerId: user.id, graceMs: 0 }, ctx(user.id))).rejects.toMatchObject({ code: "invalid_state" });

    const raced = await createTestKey(user.id);
    const results = await Promise.allSettled([0, 1, 2].map(() => rollApiKey({ keyId: raced.key.id, ownerId: user.id, graceMs: DAY }, ctx(user.id))));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results) if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "invalid_state" });
    expect(await db.apiKey.count({ where: { rolledFromId: raced.key.id } })).toBe(1);
  });
});

describe("the verification cache's rules", () => {
  it("a read with a current ticket is cached; invalidating one owner leaves other owners' keys cached", async () => {
    const [alice, bob] = await Promise.all([createTestUser(), createTestUser()]);
    const [a, b] = await Promise.all([createTestKey(alice.id), createTestKey(bob.id)]);
    const [hashA, hashB] = [hashApiKey(a.secret), hashApiKey(b.secret)];
    expect(verificationCache.set(hashA, await loadKeySnapshot(hashA), verificationCache.beginRead())).toBe(true);
    expect(verificationCache.set(hashB, await loadKeySnapshot(hashB), verificationCache.beginRead())).toBe(true);
    verificationCache.invalidateOwner(alice.id);
    expect(verificationCache.get(hashA)).toBeUndefined();
    expect(verificationCache.get(hashB)).toMatchObject({ id: b.key.id });
    verificationCache.invalidateKey(b.key.id);
    expect(verificationCache.get(hashB)).toBeUndefined();
  });
});

describe("what the guard says", () => {
  it("a missing scope is named in the message, and a refusal carries the Bearer challenge", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id, { scopes: ["me:read"] });
    const response = await (keyRoute.GET as Handler)(new Request(`http://localhost/api/v1/keys/${key.id}`, { headers: { authorization: `Bearer ${secret}` } }), {
      params: Promise.resolve({ id: key.id }),
    });
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toBe("The API key does not hold the scope this request needs. Missing: keys:read.");
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="keyport", error="insufficient_scope"');
    const ambiguous = await (meRoute.GET as Handler)(
      new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${secret}`, "x-api-key": `${secret.slice(0, -1)}${secret.endsWith("x") ? "y" : "x"}` } }),
      { params: Promise.resolve({}) },
    );
    expect(ambiguous.status).toBe(401);
    expect((await ambiguous.json()).error.code).toBe("malformed_key");
    expect(await verifyApiKey(secret, { scopes: ["keys:read"] })).toMatchObject({ ok: false, missingScopes: ["keys:read"] });
  });
});
