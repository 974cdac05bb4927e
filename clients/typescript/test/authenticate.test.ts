import { afterEach, describe, expect, it } from "vitest";
import { authenticate, Keyport } from "../src/index.js";
import { type LocalServer, sendJson, startLocalServer } from "./local-server.js";

// The verdicts a real server rarely gives in a test (a key at its rate limit, a disabled
// owner), from a /verify that answers them; tests/server covers the others against Keyport.
const BASE = { keyId: "k1", owner: { id: "u1", email: "ada@example.com" }, scopes: ["me:read"], environment: "live", expiresAt: null, team: null };

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function outcomeFor(verdict: unknown, scopes: string[] = ["me:read"]) {
  server = await startLocalServer((_, response) => sendJson(response, 200, verdict));
  return authenticate(new Keyport({ baseUrl: server.url, apiKey: "kp_test_service" }), { authorization: "Bearer kp_live_caller", ip: "203.0.113.7" }, { scopes });
}

describe("authenticate turns /verify's verdict into the middleware's answer", () => {
  it("RATE_LIMITED with the key's limit: 429 rate_limited with Retry-After, as Keyport's guard answers", async () => {
    const outcome = await outcomeFor({ ...BASE, valid: false, code: "RATE_LIMITED", ratelimit: { limit: 60, remaining: 0, reset: 42 } });
    expect(outcome).toEqual({
      ok: false,
      status: 429,
      body: { error: { code: "rate_limited", message: "Rate limit of 60 requests a minute reached. Retry in 42 s." } },
      headers: { "Retry-After": "42" },
    });
  });

  it("DISABLED: 401 owner_disabled with the invalid_token challenge", async () => {
    const outcome = await outcomeFor({ ...BASE, valid: false, code: "DISABLED", ratelimit: null });
    expect(outcome).toMatchObject({ ok: false, status: 401, body: { error: { code: "owner_disabled" } }, headers: { "WWW-Authenticate": 'Bearer realm="keyport", error="invalid_token"' } });
  });

  it("DISABLED for a team key: 401 team_suspended (a team key depends on no person, so only its team disables it)", async () => {
    const outcome = await outcomeFor({ ...BASE, valid: false, code: "DISABLED", team: { id: "t1", slug: "acme", name: "Acme" }, ratelimit: null });
    expect(outcome).toMatchObject({ ok: false, status: 401, body: { error: { code: "team_suspended", message: "The team that owns this API key is suspended." } }, headers: { "WWW-Authenticate": 'Bearer realm="keyport", error="invalid_token"' } });
  });

  it("VALID: the key, owner, team and rate limit, and the scopes and IP were sent to /verify", async () => {
    const outcome = await outcomeFor({ ...BASE, valid: true, code: "VALID", team: { id: "t1", slug: "acme", name: "Acme" }, ratelimit: { limit: 60, remaining: 59, reset: 60 } });
    expect(outcome).toEqual({
      ok: true,
      auth: { key: { id: "k1", scopes: ["me:read"], environment: "live", expiresAt: null }, owner: BASE.owner, team: { id: "t1", slug: "acme", name: "Acme" }, ratelimit: { limit: 60, remaining: 59, reset: 60 } },
    });
    expect(JSON.parse(server!.requests[0]!.body)).toEqual({ key: "kp_live_caller", scopes: ["me:read"], ip: "203.0.113.7" });
  });

  it("a verdict that Keyport could not give (its own 503): 503 unavailable, and onError hears why", async () => {
    server = await startLocalServer((_, response) => sendJson(response, 503, { error: { code: "unavailable", message: "The service is temporarily unavailable. Retry shortly." } }, { "Retry-After": "5" }));
    const errors: unknown[] = [];
    const outcome = await authenticate(new Keyport({ baseUrl: server.url, apiKey: "kp_test_service" }), { apiKey: "kp_live_caller" }, { onError: (error) => errors.push(error) });
    expect(outcome).toMatchObject({ ok: false, status: 503, body: { error: { code: "unavailable" } }, headers: { "Retry-After": "5" } });
    expect(errors).toEqual([expect.objectContaining({ code: "unavailable", status: 503 })]);
  });
});

describe("authenticate refuses what Keyport cannot be asked about, and never mistakes an odd answer for an outage or a crash", () => {
  it("a presented key longer than /verify accepts (200 characters) is 401 malformed_key, not a 503 that any caller could cause", async () => {
    // /verify answers such a key 422 (its body schema); the middleware used to turn that into 503 unavailable.
    server = await startLocalServer((_, response) => sendJson(response, 422, { error: { code: "validation_failed", message: "The request body is invalid.", details: [{ path: "key", message: "Too long" }] } }));
    const errors: unknown[] = [];
    const keyport = new Keyport({ baseUrl: server.url, apiKey: "kp_test_service" });
    const outcome = await authenticate(keyport, { apiKey: `kp_live_${"A".repeat(300)}` }, { onError: (error) => errors.push(error) });
    expect(outcome).toMatchObject({ ok: false, status: 401, body: { error: { code: "malformed_key" } } });
    expect(server.requests).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it("a verdict code this client does not know is a 401 refusal in Keyport's shape, not a thrown TypeError (a 500 page)", async () => {
    const outcome = await outcomeFor({ ...BASE, valid: false, code: "SOMETHING_NEW", ratelimit: null });
    expect(outcome).toMatchObject({ ok: false, status: 401, body: { error: { code: "unknown_key" } } });
  });

  it("a 200 that is not a verdict (a proxy's empty object) is 503 unavailable, not a thrown TypeError", async () => {
    const outcome = await outcomeFor({});
    expect(outcome).toMatchObject({ ok: false, status: 503, body: { error: { code: "unavailable" } } });
  });
});
