import { randomUUID } from "node:crypto";
import { createApiKey, type CreateApiKeyInput, publicKeySelect } from "@/lib/api-keys/create-api-key";
import { db } from "@/lib/db";

/** A user with a unique email, so test files can share one database without colliding. */
export async function createTestUser(overrides: { role?: "USER" | "ADMIN"; name?: string } = {}) {
  return db.user.create({
    data: { email: `user-${randomUUID()}@example.test`, name: overrides.name ?? "Test User", role: overrides.role ?? "USER" },
  });
}

/**
 * A key made through createApiKey, as the dashboard makes one. The key policy refuses an
 * expiry in the past, so a test that needs an already-expired key gets it written to the
 * row afterwards.
 */
export async function createTestKey(ownerId: string, overrides: Partial<Omit<CreateApiKeyInput, "ownerId">> = {}) {
  const expired = overrides.expiresAt && overrides.expiresAt.getTime() <= Date.now() ? overrides.expiresAt : null;
  const created = await createApiKey(
    { ownerId, name: "test key", environment: "test", scopes: ["me:read"], ...overrides, ...(expired ? { expiresAt: null } : {}) },
    { actorId: ownerId, ip: "127.0.0.1", userAgent: "vitest" },
  );
  if (!expired) return created;
  const key = await db.apiKey.update({ where: { id: created.key.id }, data: { expiresAt: expired }, select: publicKeySelect });
  return { ...created, key };
}
