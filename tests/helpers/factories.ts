import { randomUUID } from "node:crypto";
import { createApiKey, type CreateApiKeyInput } from "@/lib/api-keys/create-api-key";
import { db } from "@/lib/db";

/** A user with a unique email, so test files can share one database without colliding. */
export async function createTestUser(overrides: { role?: "USER" | "ADMIN"; name?: string } = {}) {
  return db.user.create({
    data: { email: `user-${randomUUID()}@example.test`, name: overrides.name ?? "Test User", role: overrides.role ?? "USER" },
  });
}

export async function createTestKey(ownerId: string, overrides: Partial<Omit<CreateApiKeyInput, "ownerId">> = {}) {
  return createApiKey(
    { ownerId, name: "test key", environment: "test", scopes: ["me:read"], ...overrides },
    { actorId: ownerId, ip: "127.0.0.1", userAgent: "vitest" },
  );
}
