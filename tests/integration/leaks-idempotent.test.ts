import { describe, expect, it, vi } from "vitest";

// The endpoint is live only with a signing key configured: this file's own P-256 pair,
// set before lib/env reads the environment.
const signer = await vi.hoisted(async () => {
  const { generateKeyPairSync } = await import("node:crypto");
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  process.env.LEAKS_PUBLIC_KEYS = JSON.stringify({ "test-key-1": publicKey.export({ type: "spki", format: "pem" }) });
  return privateKey;
});

import { sign } from "node:crypto";
import { POST } from "@/app/api/v1/leaks/route";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { db } from "@/lib/db";
import { createTestKey, createTestUser } from "../helpers/factories";

/** POSTs a body to /api/v1/leaks, signed as GitHub signs it. */
async function report(body: string) {
  const headers = new Headers({ "content-type": "application/json" });
  headers.set("Github-Public-Key-Identifier", "test-key-1");
  headers.set("Github-Public-Key-Signature", sign("sha256", Buffer.from(body), signer).toString("base64"));
  const response = await POST(new Request("http://localhost/api/v1/leaks", { method: "POST", headers, body }));
  return { status: response.status, body: await response.text() };
}

const match = (token: string) => ({ token, type: "keyport_api_key", url: "https://github.com/octocat/app/blob/0123abc/config.yml", source: "content" });

async function revokeEvents(keyId: string) {
  return db.auditEvent.findMany({ where: { targetKeyId: keyId, action: "key.revoked" } });
}

describe("a leak report is idempotent", () => {
  it("a report of a key an admin already revoked answers the same 200 true_positive as a first report, keeps the admin's revocation and writes no second revoke", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    await revokeApiKey({ keyId: key.id, reason: "rotated by the admin" }, { actorId: user.id, ip: null, userAgent: null });
    const before = await db.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { revokedAt: true, revokedReason: true, revokedById: true } });

    const first = await report(JSON.stringify([match(secret)]));
    const second = await report(JSON.stringify([match(secret)]));

    expect(first.status).toBe(200);
    expect(second).toEqual(first);
    expect(JSON.parse(first.body)).toEqual([{ token_hash: expect.any(String), token_type: "keyport_api_key", label: "true_positive" }]);
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { revokedAt: true, revokedReason: true, revokedById: true } })).toEqual(before);
    expect(await revokeEvents(key.id)).toHaveLength(1);
  });

  it("the same report delivered several times at once (GitHub retrying) answers 200 true_positive every time and revokes the key exactly once", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id);
    const body = JSON.stringify([match(secret)]);

    const answers = await Promise.all(Array.from({ length: 5 }, () => report(body)));

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
    expect(JSON.parse(answers[0].body)[0].label).toBe("true_positive");
    expect(await revokeEvents(key.id)).toHaveLength(1);
    const reported = await db.auditEvent.findMany({ where: { targetKeyId: key.id, action: "key.leak_reported" } });
    expect(reported).toHaveLength(5);
    expect(reported.filter((event) => JSON.parse(event.details).revoked === true)).toHaveLength(1);
  });
});
