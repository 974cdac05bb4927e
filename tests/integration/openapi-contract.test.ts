import { describe, expect, it, vi } from "vitest";

// POST /api/v1/leaks answers only with a signing key configured: this file's own P-256 pair,
// set before lib/env reads the environment.
const signer = await vi.hoisted(async () => {
  const { generateKeyPairSync } = await import("node:crypto");
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  process.env.LEAKS_PUBLIC_KEYS = JSON.stringify({ "contract-key": publicKey.export({ type: "spki", format: "pem" }) });
  return privateKey;
});

import { execFile } from "node:child_process";
import { sign } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as rollRoute from "@/app/api/v1/keys/[id]/roll/route";
import * as usageRoute from "@/app/api/v1/keys/[id]/usage/route";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as leaksRoute from "@/app/api/v1/leaks/route";
import * as meRoute from "@/app/api/v1/me/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import * as verifyRoute from "@/app/api/v1/verify/route";
import { API_ERROR_CODES } from "@/lib/api-keys/refusals";
import { errorStatuses, OPERATIONS } from "@/lib/api/openapi";
import { db } from "@/lib/db";
import { createTestKey, createTestUser } from "../helpers/factories";
import { expectDocumented } from "../helpers/openapi-contract";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a route handler and checks the response against the document; answers status, body and headers. */
async function call(
  handler: unknown,
  init: { method?: string; url?: string; secret?: string; body?: string | object; contentType?: string | null; params?: Record<string, string>; headers?: Record<string, string> },
) {
  const headers = new Headers(init.headers);
  if (init.secret) headers.set("authorization", `Bearer ${init.secret}`);
  if (init.contentType !== null && init.body !== undefined) headers.set("content-type", init.contentType ?? "application/json");
  const request = new Request(`http://localhost${init.url ?? "/api/v1/keys"}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
  const response = await (handler as Handler)(request, { params: Promise.resolve(init.params ?? {}) });
  const body = await expectDocumented(request, response);
  return { status: response.status, body: body as Record<string, any>, headers: response.headers };
}

async function served(host = "keys.acme.test") {
  const response = await openapiRoute.GET(new Request(`http://0.0.0.0:3000/api/v1/openapi.json`, { headers: { host } }));
  return response.json();
}

describe("the OpenAPI document", () => {
  it("lints clean with Redocly's recommended ruleset: 0 errors, 0 warnings", async () => {
    const directory = await mkdtemp(join(tmpdir(), "keyport-openapi-"));
    const file = join(directory, "openapi.json");
    await writeFile(file, JSON.stringify(await served()));
    const run = await promisify(execFile)("node_modules/.bin/redocly", ["lint", file, "--extends=recommended", "--format=json"], {
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
      timeout: 60_000,
    }).catch((error: { stdout?: string; stderr?: string }) => error);
    const report = JSON.parse(String(run.stdout));
    expect(report.problems.map((problem: { ruleId: string; message: string }) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 90_000);

  it("names the portal's public URL in servers, never the bind address", async () => {
    expect((await served("keys.acme.test")).servers).toEqual([{ url: "http://keys.acme.test", description: "This portal" }]);
    const behindProxy = await openapiRoute.GET(
      new Request("http://0.0.0.0:3000/api/v1/openapi.json", { headers: { host: "0.0.0.0:3000", "x-forwarded-host": "portal.example.org", "x-forwarded-proto": "https" } }),
    );
    expect((await behindProxy.json()).servers[0].url).toBe("https://portal.example.org");
    const bindOnly = await openapiRoute.GET(new Request("http://0.0.0.0:3000/api/v1/openapi.json", { headers: { host: "0.0.0.0:3000" } }));
    expect((await bindOnly.json()).servers[0].url).not.toContain("0.0.0.0");
  });

  it("gives every operation an operationId and a declared tag, both security schemes, and whole examples", async () => {
    const document = await served();
    const declared = new Set(document.tags.map((tag: { name: string }) => tag.name));
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        expect(operation.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
        ids.add(operation.operationId);
        for (const tag of operation.tags) expect(declared, `${method} ${path}`).toContain(tag);
        const success = operation.responses["200"] ?? operation.responses["201"];
        expect(success.content["application/json"].example, `${method} ${path}`).toBeDefined();
        if (operation.requestBody) expect(operation.requestBody.content["application/json"].example, `${method} ${path}`).toBeDefined();
        if (operation.security?.length) expect(operation.security).toEqual([{ bearerAuth: [] }, { apiKeyHeader: [] }]);
      }
    }
    expect(ids.size).toBe(OPERATIONS.length);
    expect(document.components.securitySchemes.apiKeyHeader).toMatchObject({ type: "apiKey", in: "header", name: "X-API-Key" });
    expect(document.components.schemas.Error.properties.error.properties.code.enum).toEqual([...API_ERROR_CODES]);
    expect(API_ERROR_CODES).toContain("unsupported_media_type");
  });

  it("marks a request body required exactly where the server refuses an empty one", async () => {
    const document = await served();
    const required = (path: string, method: string) => document.paths[path][method].requestBody.required;
    expect(required("/api/v1/keys", "post")).toBe(true);
    expect(required("/api/v1/keys/{id}", "patch")).toBe(true);
    expect(required("/api/v1/verify", "post")).toBe(true);
    expect(required("/api/v1/leaks", "post")).toBe(true);
    expect(required("/api/v1/keys/{id}/roll", "post")).toBe(false);
  });

  it("documents 503, 405, 431 on every guarded operation, with Retry-After on 429 and 503 and WWW-Authenticate on 401", async () => {
    const document = await served();
    for (const operation of OPERATIONS.filter((candidate) => candidate.guarded)) {
      expect(errorStatuses(operation)).toEqual(expect.arrayContaining([401, 403, 405, 429, 431, 503]));
    }
    const responses = document.components.responses;
    expect(Object.keys(responses.TooManyRequests.headers)).toContain("Retry-After");
    expect(Object.keys(responses.Unavailable.headers)).toContain("Retry-After");
    expect(Object.keys(responses.Unauthorized.headers)).toContain("WWW-Authenticate");
    expect(Object.keys(document.paths["/api/v1/me"].get.responses["200"].headers)).toEqual(expect.arrayContaining(["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]));
  });

  it("documents the leak report with the schema the handler parses with: only token is required", async () => {
    const schema = (await served()).paths["/api/v1/leaks"].post.requestBody.content["application/json"].schema;
    expect(schema.items.required).toEqual(["token"]);
  });

  it("documents a blank name as refused: the pattern rejects what the server's trim-then-min(1) refuses", async () => {
    const name = (await served()).components.schemas.CreateKeyRequest.properties.name;
    const pattern = new RegExp(name.pattern, "u");
    expect(pattern.test("   ")).toBe(false);
    expect(pattern.test(" billing ")).toBe(true);
  });
});

describe("every response of the API matches the document", () => {
  it("the success and refusal of every operation, status by status", async () => {
    const owner = await createTestUser();
    const manager = await createTestKey(owner.id, { name: "manager", scopes: ["me:read", "keys:read", "keys:write"] });
    const reader = await createTestKey(owner.id, { name: "reader", scopes: ["me:read"] });
    const secret = manager.secret;

    expect((await call(meRoute.GET, { url: "/api/v1/me", secret })).status).toBe(200);
    const listed = await call(keysRoute.GET, { secret });
    expect(listed.headers.get("RateLimit-Limit")).toMatch(/^\d+$/);
    const created = await call(keysRoute.POST, { method: "POST", secret, body: { name: "contract", scopes: ["me:read"] } });
    expect(created.status).toBe(201);
    const id = created.body.key.id as string;
    const at = (suffix = "") => ({ url: `/api/v1/keys/${id}${suffix}`, params: { id } });
    expect((await call(keyRoute.GET, { ...at(), secret })).status).toBe(200);
    expect((await call(keyRoute.PATCH, { ...at(), method: "PATCH", secret, body: { name: "renamed" } })).status).toBe(200);
    expect((await call(usageRoute.GET, { ...at("/usage"), secret })).status).toBe(200);
    const rolled = await call(rollRoute.POST, { ...at("/roll"), method: "POST", secret, body: { graceSeconds: 0 } });
    expect(rolled.status).toBe(201);
    const newId = rolled.body.key.id as string;
    expect((await call(keyRoute.DELETE, { url: `/api/v1/keys/${newId}`, params: { id: newId }, method: "DELETE", secret })).status).toBe(200);
    expect((await call(keyRoute.DELETE, { url: `/api/v1/keys/${newId}`, params: { id: newId }, method: "DELETE", secret })).status).toBe(409);
    expect((await call(openapiRoute.GET, { url: "/api/v1/openapi.json" })).status).toBe(200);

    // Refusals of the guard: 401 (with its challenge), 403.
    const missing = await call(meRoute.GET, { url: "/api/v1/me" });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("WWW-Authenticate")).toContain("Bearer");
    expect((await call(keysRoute.GET, { secret: reader.secret })).status).toBe(403);
    // The handlers' own: 400, 404, 413, 415, 422.
    expect((await call(keysRoute.POST, { method: "POST", secret, body: "{not json" })).body.error.code).toBe("bad_request");
    expect((await call(keyRoute.GET, { url: "/api/v1/keys/nosuchkey", params: { id: "nosuchkey" }, secret })).status).toBe(404);
    expect((await call(keysRoute.POST, { method: "POST", secret, body: { name: "x".repeat(20_000) } })).status).toBe(413);
    expect((await call(keysRoute.POST, { method: "POST", secret, body: { name: "   " } })).status).toBe(422);
    expect((await call(keysRoute.GET, { url: "/api/v1/keys?limit=0", secret })).status).toBe(422);
    // 405 on every path, with its Allow.
    const notAllowed = await call(meRoute.POST, { url: "/api/v1/me", method: "POST", secret });
    expect(notAllowed).toMatchObject({ status: 405, body: { error: { code: "method_not_allowed" } } });
    expect(notAllowed.headers.get("Allow")).toBe("GET, HEAD, OPTIONS");
    for (const [handler, url] of [
      [keysRoute.PUT, "/api/v1/keys"],
      [keyRoute.POST, `/api/v1/keys/${id}`],
      [rollRoute.GET, `/api/v1/keys/${id}/roll`],
      [usageRoute.POST, `/api/v1/keys/${id}/usage`],
      [verifyRoute.GET, "/api/v1/verify"],
      [openapiRoute.POST, "/api/v1/openapi.json"],
      [leaksRoute.GET, "/api/v1/leaks"],
    ] as const) {
      expect((await call(handler, { url, method: url.endsWith("openapi.json") || url.endsWith("usage") || url === `/api/v1/keys/${id}` ? "POST" : url.endsWith("/keys") ? "PUT" : "GET", secret, params: { id } })).status, url).toBe(405);
    }
    // 429 from the key's own limit, with Retry-After and RateLimit-*.
    const limited = await createTestKey(owner.id, { name: "limited", scopes: ["me:read"] });
    await db.apiKey.update({ where: { id: limited.key.id }, data: { rateLimitPerMinute: 1 } });
    expect((await call(meRoute.GET, { url: "/api/v1/me", secret: limited.secret })).status).toBe(200);
    const tooMany = await call(meRoute.GET, { url: "/api/v1/me", secret: limited.secret });
    expect(tooMany.status).toBe(429);
    expect(tooMany.headers.get("Retry-After")).toMatch(/^\d+$/);
  });

  it("refuses a body sent as text/plain (or any non-JSON type) with 415 unsupported_media_type", async () => {
    const owner = await createTestUser();
    const manager = await createTestKey(owner.id, { scopes: ["me:read", "keys:read", "keys:write"] });
    const target = await createTestKey(owner.id, { name: "target" });
    const params = { id: target.key.id };
    const body = JSON.stringify({ name: "sent as text" });
    for (const contentType of ["text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const created = await call(keysRoute.POST, { method: "POST", secret: manager.secret, body, contentType });
      expect(created, contentType).toMatchObject({ status: 415, body: { error: { code: "unsupported_media_type" } } });
      const patched = await call(keyRoute.PATCH, { method: "PATCH", url: `/api/v1/keys/${target.key.id}`, params, secret: manager.secret, body, contentType });
      expect(patched.status, contentType).toBe(415);
    }
    expect(await db.apiKey.count({ where: { ownerId: owner.id, name: "sent as text" } })).toBe(0);
    // JSON with parameters or a +json type is JSON; a bodiless roll needs no Content-Type.
    expect((await call(keysRoute.POST, { method: "POST", secret: manager.secret, body, contentType: "application/json; charset=utf-8" })).status).toBe(201);
    expect((await call(rollRoute.POST, { method: "POST", url: `/api/v1/keys/${target.key.id}/roll`, params, secret: manager.secret })).status).toBe(201);
  });

  it("an unknown cursor is the documented 400, and another user's key id as a cursor answers exactly the same", async () => {
    const owner = await createTestUser();
    const reader = await createTestKey(owner.id, { scopes: ["keys:read"] });
    for (let index = 0; index < 3; index += 1) await createTestKey(owner.id, { name: `mine ${index}` });
    const stranger = await createTestUser();
    const theirs = await createTestKey(stranger.id, { name: "theirs" });
    const unknown = await call(keysRoute.GET, { url: "/api/v1/keys?cursor=cnosuchkey000000000000000", secret: reader.secret });
    const foreign = await call(keysRoute.GET, { url: `/api/v1/keys?cursor=${theirs.key.id}`, secret: reader.secret });
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: "bad_request", message: "Unknown cursor." } } });
    expect(foreign.status).toBe(unknown.status);
    expect(foreign.body).toEqual(unknown.body);
    // A real cursor still pages.
    const first = await call(keysRoute.GET, { url: "/api/v1/keys?limit=2", secret: reader.secret });
    const second = await call(keysRoute.GET, { url: `/api/v1/keys?limit=2&cursor=${first.body.nextCursor}`, secret: reader.secret });
    expect(second.status).toBe(200);
    expect(second.body.items.map((key: { id: string }) => key.id)).not.toContain(first.body.items[0].id);
  });

  it("POST /api/v1/leaks: the verdicts and the signature refusal match the document", async () => {
    const owner = await createTestUser();
    const leaked = await createTestKey(owner.id, { name: "leaked" });
    const body = JSON.stringify([{ token: leaked.secret }]);
    const signature = sign("sha256", Buffer.from(body), signer).toString("base64");
    const headers = { "Github-Public-Key-Identifier": "contract-key", "Github-Public-Key-Signature": signature };
    const verdicts = await call(leaksRoute.POST, { method: "POST", url: "/api/v1/leaks", body, headers });
    expect(verdicts).toMatchObject({ status: 200, body: [{ label: "true_positive", token_type: "" }] });
    const unsigned = await call(leaksRoute.POST, { method: "POST", url: "/api/v1/leaks", body });
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get("WWW-Authenticate")).toBe('Signature realm="keyport"');
  });
});
