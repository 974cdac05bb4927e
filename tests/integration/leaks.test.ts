import { afterEach, describe, expect, it, vi } from "vitest";

// The endpoint is live only with a signing key configured: this file's own P-256 pair,
// set before lib/env reads the environment.
const signer = await vi.hoisted(async () => {
  const { generateKeyPairSync } = await import("node:crypto");
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  process.env.LEAKS_PUBLIC_KEYS = JSON.stringify({ "test-key-1": publicKey.export({ type: "spki", format: "pem" }) });
  return privateKey;
});

import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { POST } from "@/app/api/v1/leaks/route";
import { generateApiKey, hashApiKey } from "@/lib/api-keys/key-format";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { db } from "@/lib/db";
import { envSchema } from "@/lib/env";
import { leakRevocationReason } from "@/lib/leaks/report-leaked-tokens";
import { verifyLeakSignature } from "@/lib/leaks/verify-leak-signature";
import { createTestKey, createTestUser } from "../helpers/factories";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** POSTs a body to /api/v1/leaks, signed as GitHub signs it unless told otherwise. */
function report(body: string, signature: { keyId?: string | null; value?: string | null } = {}) {
  const headers = new Headers({ "content-type": "application/json" });
  const keyId = signature.keyId === undefined ? "test-key-1" : signature.keyId;
  const value = signature.value === undefined ? sign("sha256", Buffer.from(body), signer).toString("base64") : signature.value;
  if (keyId !== null) headers.set("Github-Public-Key-Identifier", keyId);
  if (value !== null) headers.set("Github-Public-Key-Signature", value);
  return POST(new Request("http://localhost/api/v1/leaks", { method: "POST", headers, body }));
}

const match = (token: string, url = "https://github.com/octocat/app/blob/0123abc/config.yml") => ({ token, type: "keyport_api_key", url, source: "content" });

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/json");
  expect(await response.json()).toEqual({ error: { code, message: expect.any(String), ...(status === 422 ? { details: expect.any(Array) } : {}) } });
}

/** An active key and a report of it, for the cases where the report must change nothing. */
async function activeKeyAndReport() {
  const user = await createTestUser();
  const { secret } = await createTestKey(user.id);
  return { secret, body: JSON.stringify([match(secret)]) };
}

afterEach(() => vi.restoreAllMocks());

describe("POST /api/v1/leaks", () => {
  it("a signed report of an active key revokes it at once: verifyApiKey then says revoked, and the answer is GitHub's true_positive", async () => {
    const user = await createTestUser();
    const { key, secret } = await createTestKey(user.id, { environment: "live" });
    expect((await verifyApiKey(secret)).ok).toBe(true); // now cached: the revoke must reach the cache too
    const logged = [vi.spyOn(console, "log"), vi.spyOn(console, "warn"), vi.spyOn(console, "error"), vi.spyOn(console, "info")];

    const response = await report(JSON.stringify([match(secret)]));

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const text = await response.text();
    expect(JSON.parse(text)).toEqual([{ token_hash: sha256(secret), token_type: "keyport_api_key", label: "true_positive" }]);
    expect(text).not.toContain(secret);
    expect(await verifyApiKey(secret)).toMatchObject({ ok: false, reason: "revoked" });

    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row).toMatchObject({ revokedById: null, revokedReason: "Compromised: found at https://github.com/octocat/app/blob/0123abc/config.yml" });
    const events = await db.auditEvent.findMany({ where: { targetKeyId: key.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((event) => [event.action, event.actorId])).toEqual([
      ["key.created", user.id],
      ["key.revoked", null],
      ["key.leak_reported", null],
    ]);
    expect(JSON.parse(events[2].details)).toEqual({ url: match(secret).url, source: "content", type: "keyport_api_key", revoked: true });
    // The token is written nowhere: not in the audit trail, not in any log line.
    expect(JSON.stringify(events)).not.toContain(secret.slice(12));
    for (const spy of logged) expect(JSON.stringify(spy.mock.calls)).not.toContain(secret.slice(12));
  });

  it("an unknown token is a false_positive, and a token that is not a checksum-valid key is never looked up", async () => {
    const unknown = generateApiKey("kp", "test").secret;
    const lookups = vi.spyOn(db.apiKey, "findUnique");
    const tokens = [unknown, "kp_live_notarealkeyatall", "ghp_somebodyelsestoken", `MV_SECRET_${"0".repeat(64)}`];

    const response = await report(JSON.stringify(tokens.map((token) => match(token))));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(tokens.map((token) => ({ token_hash: sha256(token), token_type: "keyport_api_key", label: "false_positive" })));
    // Only the checksum-valid key and the legacy-shaped one reached the database.
    expect(lookups.mock.calls.map(([query]) => query.where.keyHash)).toEqual([hashApiKey(unknown), hashApiKey(tokens[3])]);
  });

  it("a bad signature gets 401 invalid_signature, and nothing is revoked", async () => {
    const { secret, body } = await activeKeyAndReport();
    const signatureOfOtherBody = sign("sha256", Buffer.from(`${body} `), signer).toString("base64");
    const otherSigner = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;

    await expectError(await report(body, { value: signatureOfOtherBody }), 401, "invalid_signature");
    await expectError(await report(body, { value: sign("sha256", Buffer.from(body), otherSigner).toString("base64") }), 401, "invalid_signature");
    await expectError(await report(body, { value: "MEUCIQ==" }), 401, "invalid_signature");
    expect((await verifyApiKey(secret)).ok).toBe(true);
  });

  it("an unsigned report gets 401 invalid_signature, and nothing is revoked", async () => {
    const { secret, body } = await activeKeyAndReport();
    await expectError(await report(body, { keyId: null, value: null }), 401, "invalid_signature");
    await expectError(await report(body, { value: null }), 401, "invalid_signature");
    expect((await verifyApiKey(secret)).ok).toBe(true);
  });

  it("a report signed under a key identifier that is not configured gets 401, and nothing is revoked", async () => {
    const { secret, body } = await activeKeyAndReport();
    for (const keyId of ["test-key-2", "TEST-KEY-1", "__proto__", "constructor"]) {
      await expectError(await report(body, { keyId }), 401, "invalid_signature");
    }
    expect((await verifyApiKey(secret)).ok).toBe(true);
  });

  it("a signed body over 1 MiB is a 413, malformed JSON a 400, and JSON of the wrong shape a 422", async () => {
    await expectError(await report(`[${JSON.stringify(match("x".repeat(1_048_576)))}]`), 413, "payload_too_large");
    await expectError(await report("[{"), 400, "bad_request");
    await expectError(await report(JSON.stringify({ token: "x" })), 422, "validation_failed");
    await expectError(await report(JSON.stringify([{ token: 42 }])), 422, "validation_failed");
  });

  it("an already revoked key is still a true_positive and is not revoked twice; a token sent twice is judged once; a legacy key is matched", async () => {
    const user = await createTestUser();
    const first = await createTestKey(user.id);
    const legacySecret = `MV_SECRET_${"ab12".repeat(16)}`;
    const legacy = await db.apiKey.create({
      data: { ownerId: user.id, name: "imported", environment: "live", scopes: "me:read", keyHash: hashApiKey(legacySecret), start: "MV_SECRET_ab", legacy: true },
    });

    await report(JSON.stringify([match(first.secret, "https://github.com/a/b/blob/1/x")]));
    const response = await report(JSON.stringify([match(first.secret, "https://gist.github.com/elsewhere"), match(legacySecret, ""), match(legacySecret, "")]));

    expect((await response.json()).map((verdict: { label: string }) => verdict.label)).toEqual(["true_positive", "true_positive", "true_positive"]);
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: first.key.id }, select: { revokedReason: true } })).toEqual({
      revokedReason: "Compromised: found at https://github.com/a/b/blob/1/x",
    });
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: legacy.id }, select: { revokedReason: true } })).toEqual({
      revokedReason: "Compromised: reported by GitHub secret scanning (content)",
    });
    const actions = async (keyId: string) => (await db.auditEvent.findMany({ where: { targetKeyId: keyId }, orderBy: { createdAt: "asc" } })).map((event) => event.action);
    expect(await actions(first.key.id)).toEqual(["key.created", "key.revoked", "key.leak_reported", "key.leak_reported"]);
    expect(await actions(legacy.id)).toEqual(["key.revoked", "key.leak_reported"]);
  });

  it("the revocation reason keeps at most 200 characters of the URL, without control characters", () => {
    const long = `https://github.com/octocat/app/blob/${"a".repeat(400)}`;
    const reason = leakRevocationReason({ url: long, source: "content" });
    expect(reason).toBe(`Compromised: found at ${long.slice(0, 199)}…`);
    expect(leakRevocationReason({ url: "https://x.test/\r\n\u0000evil", source: "commit" })).toBe("Compromised: found at https://x.test/evil");
    expect(leakRevocationReason({ url: "", source: "" })).toBe("Compromised: reported by GitHub secret scanning (unknown source)");
  });

  it("with LEAKS_PUBLIC_KEYS unset, every method is the same JSON 404 as an unknown path", async () => {
    vi.resetModules();
    vi.stubEnv("LEAKS_PUBLIC_KEYS", "");
    try {
      const route = await import("@/app/api/v1/leaks/route");
      const body = JSON.stringify([match("kp_live_x")]);
      const signature = sign("sha256", Buffer.from(body), signer).toString("base64");
      const request = (method: string) =>
        new Request("http://localhost/api/v1/leaks", {
          method,
          headers: { "Github-Public-Key-Identifier": "test-key-1", "Github-Public-Key-Signature": signature },
          body: method === "GET" ? undefined : body,
        });
      for (const handler of [route.POST, route.GET, route.PUT, route.PATCH, route.DELETE]) {
        const response = await handler(request(handler === route.GET ? "GET" : "POST"));
        expect(response.status).toBe(404);
        expect(await response.json()).toEqual({ error: { code: "not_found", message: "No API route matches /api/v1/leaks." } });
      }
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});

describe("leak report signatures", () => {
  // GitHub's published test vector (github/docs, content/code-security/secret-scanning/
  // secret-scanning-partner-program.md, "Implement signature verification"): a test key,
  // its identifier, and a DER signature over the exact bytes of this payload.
  const GITHUB_TEST_KEY_ID = "f9525bf080f75b3506ca1ead061add62b8633a346606dc5fe544e29231c6ee0d";
  const GITHUB_TEST_PUBLIC_KEY = [
    "-----BEGIN PUBLIC KEY-----",
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEsz9ugWDj5jK5ELBK42ynytbo38gP",
    "HzZFI03Exwz8Lh/tCfL3YxwMdLjB+bMznsanlhK0RwcGP3IDb34kQDIo3Q==",
    "-----END PUBLIC KEY-----",
  ].join("\n");
  const GITHUB_TEST_SIGNATURE = "MEUCIFLZzeK++IhS+y276SRk2Pe5LfDrfvTXu6iwKKcFGCrvAiEAhHN2kDOhy2I6eGkOFmxNkOJ+L2y8oQ9A2T9GGJo6WJY=";
  const GITHUB_TEST_PAYLOAD = '[{"token":"some_token","type":"some_type","url":"some_url","source":"some_source"}]';

  it("GitHub's documented test vector verifies, and a changed byte, key or identifier does not", () => {
    const keys = envSchema.parse({ LEAKS_PUBLIC_KEYS: JSON.stringify({ [GITHUB_TEST_KEY_ID]: GITHUB_TEST_PUBLIC_KEY }) }).LEAKS_PUBLIC_KEYS;
    const payload = Buffer.from(GITHUB_TEST_PAYLOAD);
    expect(verifyLeakSignature(payload, GITHUB_TEST_KEY_ID, GITHUB_TEST_SIGNATURE, keys)).toBe(true);
    expect(verifyLeakSignature(Buffer.from(GITHUB_TEST_PAYLOAD.replace("some_token", "some_tokeN")), GITHUB_TEST_KEY_ID, GITHUB_TEST_SIGNATURE, keys)).toBe(false);
    expect(verifyLeakSignature(Buffer.from(`${GITHUB_TEST_PAYLOAD}\n`), GITHUB_TEST_KEY_ID, GITHUB_TEST_SIGNATURE, keys)).toBe(false);
    expect(verifyLeakSignature(payload, "another-id", GITHUB_TEST_SIGNATURE, keys)).toBe(false);
    expect(verifyLeakSignature(payload, GITHUB_TEST_KEY_ID, GITHUB_TEST_SIGNATURE.replace("MEUCIFLZ", "MEUCIFLY"), keys)).toBe(false);
  });

  it("LEAKS_PUBLIC_KEYS takes an identifier-to-PEM object or GitHub's public_keys response, and refuses anything but P-256 keys", () => {
    const github = { public_keys: [{ key_identifier: GITHUB_TEST_KEY_ID, key: GITHUB_TEST_PUBLIC_KEY, is_current: true }] };
    expect([...envSchema.parse({ LEAKS_PUBLIC_KEYS: JSON.stringify(github) }).LEAKS_PUBLIC_KEYS.keys()]).toEqual([GITHUB_TEST_KEY_ID]);
    expect(envSchema.parse({}).LEAKS_PUBLIC_KEYS.size).toBe(0);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" });
    const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey.export({ type: "spki", format: "pem" });
    for (const value of ["not json", "[]", JSON.stringify({ id: "not a pem" }), JSON.stringify({ id: rsa }), JSON.stringify({ id: p384 }), JSON.stringify({ "": GITHUB_TEST_PUBLIC_KEY })]) {
      const parsed = envSchema.safeParse({ LEAKS_PUBLIC_KEYS: value });
      expect(parsed.success, value.slice(0, 40)).toBe(false);
      expect(parsed.error!.issues.map((issue) => issue.path.join("."))).toEqual(["LEAKS_PUBLIC_KEYS"]);
    }
  });
});
