import { afterEach, describe, expect, it } from "vitest";
import { Keyport } from "../src/index.js";
import { type LocalServer, sendJson, startLocalServer } from "./local-server.js";

const VALID = { valid: true, code: "VALID", keyId: "k1", owner: { id: "u1", email: "ada@example.com" }, scopes: ["me:read"], environment: "live", expiresAt: null, ratelimit: { limit: 60, remaining: 59, reset: 60 } };
const REVOKED = { ...VALID, valid: false, code: "REVOKED", ratelimit: null };

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A /verify that answers each key's verdict from `verdicts`, and a client with a clock the test moves. */
async function setUp(verdicts: Record<string, unknown>, ttlMs = 2_000) {
  server = await startLocalServer(({ body }, response) => sendJson(response, 200, verdicts[(JSON.parse(body) as { key: string }).key]));
  let now = 1_000;
  const keyport = new Keyport({ baseUrl: server.url, apiKey: "kp_test_caller", cache: { ttlMs, now: () => now } });
  return { keyport, requests: server.requests, advance: (ms: number) => (now += ms) };
}

describe("verifyKey's cache", () => {
  it("is off unless asked for: every verify asks Keyport", async () => {
    server = await startLocalServer((_, response) => sendJson(response, 200, VALID));
    const keyport = new Keyport({ baseUrl: server.url, apiKey: "kp_test_caller" });
    await keyport.verifyKey({ key: "kp_live_a" });
    await keyport.verifyKey({ key: "kp_live_a" });
    expect(server.requests).toHaveLength(2);
    expect(keyport.cache).toBeNull();
  });

  it("reuses a VALID verdict until ttlMs has passed, then asks again (the bound it adds on revocation)", async () => {
    const verdicts: Record<string, unknown> = { kp_live_a: VALID };
    const { keyport, requests, advance } = await setUp(verdicts);
    expect(await keyport.verifyKey({ key: "kp_live_a", scopes: ["me:read"] })).toEqual(VALID);
    verdicts.kp_live_a = REVOKED; // revoked in Keyport after the first verdict
    advance(1_999);
    expect((await keyport.verifyKey({ key: "kp_live_a", scopes: ["me:read"] })).code).toBe("VALID");
    expect(requests).toHaveLength(1);
    advance(1);
    expect((await keyport.verifyKey({ key: "kp_live_a", scopes: ["me:read"] })).code).toBe("REVOKED");
    expect(requests).toHaveLength(2);
  });

  it("never keeps a refusal: a refused key is asked about every time", async () => {
    const { keyport, requests } = await setUp({ kp_live_r: REVOKED });
    await keyport.verifyKey({ key: "kp_live_r" });
    await keyport.verifyKey({ key: "kp_live_r" });
    expect(requests).toHaveLength(2);
    expect(keyport.cache!.size).toBe(0);
  });

  it("keeps verdicts apart by key, scopes and client IP, and does not keep the plaintext key", async () => {
    const { keyport, requests } = await setUp({ kp_live_a: VALID, kp_live_b: VALID });
    await keyport.verifyKey({ key: "kp_live_a", scopes: ["me:read"], ip: "203.0.113.7" });
    await keyport.verifyKey({ key: "kp_live_b", scopes: ["me:read"], ip: "203.0.113.7" });
    await keyport.verifyKey({ key: "kp_live_a", scopes: ["keys:read"], ip: "203.0.113.7" });
    await keyport.verifyKey({ key: "kp_live_a", scopes: ["me:read"], ip: "203.0.113.8" });
    await keyport.verifyKey({ key: "kp_live_a", scopes: ["me:read"] });
    expect(requests).toHaveLength(5);
    // Same scopes in another order, same IP: the cached verdict.
    await keyport.verifyKey({ key: "kp_live_a", scopes: ["me:read", "me:read"], ip: "203.0.113.7" });
    expect(requests).toHaveLength(5);
    expect(JSON.parse(requests[0]!.body)).toEqual({ key: "kp_live_a", scopes: ["me:read"], ip: "203.0.113.7" });
  });

  it("counts ttlMs from when Keyport was asked, not from when its answer arrived: a slow answer does not stretch the bound on revocation", async () => {
    let answerFirst: (() => void) | undefined;
    let firstAsked: () => void;
    const asked = new Promise<void>((resolve) => (firstAsked = resolve));
    server = await startLocalServer(({ index }, response) => {
      if (index > 0) return sendJson(response, 200, VALID);
      answerFirst = () => sendJson(response, 200, VALID);
      firstAsked();
    });
    let now = 1_000;
    const keyport = new Keyport({ baseUrl: server.url, apiKey: "kp_test_caller", cache: { ttlMs: 2_000, now: () => now } });
    const first = keyport.verifyKey({ key: "kp_live_a" });
    await asked;
    now += 1_500; // Keyport takes 1.5 s to answer; the key may be revoked meanwhile
    answerFirst!();
    expect((await first).code).toBe("VALID");
    now += 500; // 2 s after Keyport was asked: the verdict is no longer reused
    await keyport.verifyKey({ key: "kp_live_a" });
    expect(server.requests).toHaveLength(2);
  });

  it("hands each request its own copy: a handler editing its verdict does not change the next request's", async () => {
    const { keyport } = await setUp({ kp_live_a: VALID });
    const first = await keyport.verifyKey({ key: "kp_live_a" });
    (first.scopes as string[]).push("keys:write");
    (first.owner as { email: string }).email = "mallory@example.com";
    const second = await keyport.verifyKey({ key: "kp_live_a" });
    expect(second.scopes).toEqual(["me:read"]);
    expect(second.owner).toEqual({ id: "u1", email: "ada@example.com" });
    const third = await keyport.verifyKey({ key: "kp_live_a" });
    expect(third).not.toBe(second);
  });

  it("refuses a TTL that is not a positive number", () => {
    expect(() => new Keyport({ baseUrl: "http://127.0.0.1:1", apiKey: "k", cache: { ttlMs: 0 } })).toThrow(RangeError);
  });
});
