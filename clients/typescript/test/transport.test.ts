import { afterEach, describe, expect, it } from "vitest";
import { Keyport, KeyportApiError, KeyportNetworkError, KeyportTimeoutError } from "../src/index.js";
import { retryDelayMs } from "../src/transport.js";
import { type LocalServer, sendJson, startLocalServer } from "./local-server.js";

const UNAVAILABLE = { error: { code: "unavailable", message: "The service is temporarily unavailable. Retry shortly." } };
const ME = { owner: { id: "u1", email: "ada@example.com", name: null }, key: { id: "k1", name: "n", start: "kp_test_abcd", environment: "test", scopes: ["me:read"], expiresAt: null, createdAt: "2026-12-01T00:00:00.000Z" } };

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A client whose waits between retries are recorded instead of slept. */
function clientFor(url: string, options: Partial<ConstructorParameters<typeof Keyport>[0]> = {}) {
  const waits: number[] = [];
  const keyport = new Keyport({ baseUrl: url, apiKey: "kp_test_caller", sleep: async (ms) => void waits.push(ms), ...options });
  return { keyport, waits };
}

describe("retries", () => {
  it("a GET answered 503 twice is retried, waiting Retry-After each time, and returns the third answer", async () => {
    server = await startLocalServer(({ index }, response) =>
      index < 2 ? sendJson(response, 503, UNAVAILABLE, { "Retry-After": "1" }) : sendJson(response, 200, ME),
    );
    const { keyport, waits } = clientFor(server.url);
    expect(await keyport.getMe()).toEqual(ME);
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(Array(3).fill("GET /api/v1/me"));
    expect(waits).toEqual([1000, 1000]);
    expect(server.requests.every((request) => request.headers.authorization === "Bearer kp_test_caller")).toBe(true);
  });

  it("a GET still answered 503 after every retry throws the API's unavailable error with its Retry-After", async () => {
    server = await startLocalServer((_, response) => sendJson(response, 503, UNAVAILABLE, { "Retry-After": "2" }));
    const { keyport } = clientFor(server.url, { retries: 1 });
    const error = await keyport.getMe().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeyportApiError);
    expect(error).toMatchObject({ status: 503, code: "unavailable", retryAfterSeconds: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it("a Retry-After longer than maxRetryDelayMs is not waited: the 503 is thrown at once", async () => {
    server = await startLocalServer((_, response) => sendJson(response, 503, UNAVAILABLE, { "Retry-After": "30" }));
    const { keyport, waits } = clientFor(server.url, { maxRetryDelayMs: 5_000 });
    await expect(keyport.getMe()).rejects.toMatchObject({ status: 503, code: "unavailable" });
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it.each([
    ["createKey (POST)", (keyport: Keyport) => keyport.createKey({ name: "x", environment: "test", scopes: ["me:read"] })],
    ["verifyKey (POST)", (keyport: Keyport) => keyport.verifyKey({ key: "kp_test_x" })],
    ["updateKey (PATCH)", (keyport: Keyport) => keyport.updateKey("k1", { name: "y" })],
    ["revokeKey (DELETE)", (keyport: Keyport) => keyport.revokeKey("k1")],
  ])("%s is sent once: a 503 is thrown, not retried", async (_, call) => {
    server = await startLocalServer((_, response) => sendJson(response, 503, UNAVAILABLE, { "Retry-After": "1" }));
    const { keyport, waits } = clientFor(server.url);
    await expect(call(keyport)).rejects.toMatchObject({ status: 503, code: "unavailable" });
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("a GET to a port nobody listens on is retried with growing backoff, then throws KeyportNetworkError", async () => {
    server = await startLocalServer(() => undefined);
    const url = server.url;
    await server.close();
    server = undefined;
    const { keyport, waits } = clientFor(url, { retries: 3, retryBaseDelayMs: 100 });
    await expect(keyport.getMe()).rejects.toBeInstanceOf(KeyportNetworkError);
    expect(waits).toHaveLength(3);
    // Exponential with jitter: retry n waits between half and all of 100 ms × 2^(n-1).
    waits.forEach((wait, index) => {
      expect(wait).toBeGreaterThanOrEqual(50 * 2 ** index);
      expect(wait).toBeLessThanOrEqual(100 * 2 ** index);
    });
  });

  it("a POST to a port nobody listens on throws KeyportNetworkError after one attempt", async () => {
    server = await startLocalServer(() => undefined);
    const url = server.url;
    await server.close();
    server = undefined;
    const { keyport, waits } = clientFor(url);
    await expect(keyport.verifyKey({ key: "kp_test_x" })).rejects.toBeInstanceOf(KeyportNetworkError);
    expect(waits).toEqual([]);
  });

  it("the backoff doubles at each retry and stays within its jitter", () => {
    expect(retryDelayMs(1, null, 200, () => 0)).toBe(100);
    expect(retryDelayMs(1, null, 200, () => 1)).toBe(200);
    expect(retryDelayMs(3, null, 200, () => 1)).toBe(800);
    expect(retryDelayMs(3, "4", 200, () => 1)).toBe(4000);
    expect(retryDelayMs(2, "soon", 200, () => 0)).toBe(200);
  });
});

describe("timeouts", () => {
  it("a server that never answers makes a POST throw KeyportTimeoutError after timeoutMs, once", async () => {
    server = await startLocalServer(() => undefined);
    const { keyport } = clientFor(server.url, { timeoutMs: 150 });
    const error = await keyport.verifyKey({ key: "kp_test_x" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeyportTimeoutError);
    expect((error as KeyportTimeoutError).timeoutMs).toBe(150);
    expect(server.requests).toHaveLength(1);
  });

  it("a GET that times out is retried, then throws KeyportTimeoutError", async () => {
    server = await startLocalServer(() => undefined);
    const { keyport, waits } = clientFor(server.url, { timeoutMs: 100, retries: 1 });
    await expect(keyport.getMe()).rejects.toBeInstanceOf(KeyportTimeoutError);
    expect(server.requests).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });
});

describe("errors", () => {
  it("an error body becomes KeyportApiError with the API's status, code, message and details", async () => {
    const body = { error: { code: "validation_failed", message: "The request body or query is not valid.", details: [{ path: "name", message: "Give the key a name." }] } };
    server = await startLocalServer((_, response) => sendJson(response, 422, body));
    const { keyport } = clientFor(server.url);
    const error = await keyport.createKey({ name: "", environment: "test", scopes: ["me:read"] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeyportApiError);
    expect(error).toMatchObject({ status: 422, code: "validation_failed", message: body.error.message, details: body.error.details, retryAfterSeconds: null });
  });

  it("an answer that is not Keyport's error shape (a proxy's HTML) is unexpected_response, not a crash", async () => {
    server = await startLocalServer((_, response) => {
      response.writeHead(502, { "Content-Type": "text/html" });
      response.end("<html>Bad gateway</html>");
    });
    const { keyport } = clientFor(server.url);
    await expect(keyport.getKey("k1")).rejects.toMatchObject({ status: 502, code: "unexpected_response" });
  });
});
