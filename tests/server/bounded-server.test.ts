import { readFileSync } from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// A SQLite file of this test's own, shared by this process and the servers it starts.
const databaseUrl = await vi.hoisted(async () => (await import("../fixtures/fresh-database")).useFreshDatabase("bounded-server"));

import { migrateDatabase } from "@/scripts/migrate-database";
import { requireProductionBuild } from "../fixtures/production-build";
import { rawRequest } from "../fixtures/raw-http";
import { rawUpload } from "../fixtures/raw-upload";
import { memoryOf, type ServerProcess, startServerProcess } from "../fixtures/server-process";
import { createTestKey, createTestUser } from "../helpers/factories";

// Bounded work on every route (issue 15, item 5): what only the real `npm start` server shows.
requireProductionBuild("/api/auth/[...nextauth]/route");

const MiB = 1_048_576;
let server: ServerProcess;
let behindProxy: ServerProcess;

beforeAll(async () => {
  await migrateDatabase(databaseUrl);
  // The defaults, and a server behind a proxy of ours with a small cap of its own.
  [server, behindProxy] = await Promise.all([
    startServerProcess({ DATABASE_URL: databaseUrl }),
    startServerProcess({ DATABASE_URL: databaseUrl, TRUST_PROXY: "1", MAX_BODY_BYTES: "1000" }),
  ]);
}, 90_000);

afterAll(async () => {
  await Promise.all([server, behindProxy].filter(Boolean).map((each) => each.stop()));
});

const problemsIn = (logs: string[]) => logs.filter((line) => /error|warn|at .*\(.*:\d+:\d+\)/i.test(line));

describe("bounded work on every route (scripts/serve.mjs)", () => {
  it("a body over 1 MiB is a JSON 413 that the uploader reads while still sending, on /api/auth/* and /api/v1 alike, by Content-Length and chunked", async () => {
    for (const path of ["/api/auth/callback/credentials", "/api/v1/keys", "/sign-in"]) {
      for (const chunked of [false, true]) {
        const answer = await rawUpload(server.url, { path, total: 64 * MiB, chunked });
        const label = `${path} ${chunked ? "chunked" : "Content-Length"}`;
        expect(answer.status, label).toBe(413);
        expect(JSON.parse(answer.body), label).toEqual({ error: { code: "payload_too_large", message: `The request body may be at most ${MiB} bytes.` } });
        expect(answer.headers.get("connection"), label).toBe("close");
        expect(answer.headers.get("cache-control"), label).toBe("no-store");
        // Refused long before the 64 MiB were sent: by the length at once, chunked at the cap.
        expect(answer.sent, label).toBeLessThan(32 * MiB);
        await answer.closed;
      }
    }
    expect(problemsIn(server.logs)).toEqual([]);
  });

  it("three concurrent 400 MB posts to the credentials callback leave the server's memory where it was", async () => {
    // Warm the route up first: its first request loads next-auth's bundle.
    await fetch(`${server.url}/api/auth/csrf`);
    await fetch(`${server.url}/api/auth/callback/credentials`, { method: "POST", body: "email=a%40b.c&password=x", redirect: "manual" });
    const before = memoryOf(server.pid);
    const answers = await Promise.all([
      rawUpload(server.url, { path: "/api/auth/callback/credentials", total: 400 * MiB, chunked: true }),
      rawUpload(server.url, { path: "/api/auth/callback/credentials", total: 400 * MiB, chunked: true }),
      rawUpload(server.url, { path: "/api/auth/callback/credentials", total: 400 * MiB, chunked: false }),
    ]);
    const after = memoryOf(server.pid);
    console.info(`[bounded-server] RSS ${Math.round(before.rss / MiB)} MiB -> ${Math.round(after.rss / MiB)} MiB; peak ${Math.round(before.peak / MiB)} -> ${Math.round(after.peak / MiB)} MiB`);
    // Without the cap Next buffers every body whole: 0.4 GB -> 3.4 GB. Allow 64 MiB of noise.
    expect(after.peak - before.peak).toBeLessThan(64 * MiB);
    expect(answers.map((answer) => answer.status)).toEqual([413, 413, 413]);
  });

  it("TRACE, PROPFIND and other methods route handlers cannot take answer the route's JSON 405 with its real Allow, never a 500 or a stack trace", async () => {
    const routes: [string, string | null][] = [
      ["/api/health", "GET, HEAD, OPTIONS"],
      ["/api/auth/session", "GET, POST, HEAD, OPTIONS"],
      ["/api/auth/callback/credentials", "GET, POST, HEAD, OPTIONS"],
      ["/api/v1/me", "GET, HEAD, OPTIONS"],
      ["/api/v1/keys", "GET, POST, HEAD, OPTIONS"],
      ["/api/v1/keys/abc", "GET, PATCH, DELETE, HEAD, OPTIONS"],
      ["/api/v1/keys/abc/roll", "POST, OPTIONS"],
      ["/api/v1/keys/abc/usage", "GET, HEAD, OPTIONS"],
      ["/api/v1/verify", "POST, OPTIONS"],
      ["/api/v1/openapi.json", "GET, HEAD, OPTIONS"],
      ["/api/v1/no-such-route", null], // a JSON 404, as for every method there
      ["/api/v1/leaks", null], // not configured: the same 404 as an unknown path
      ["/api/bench/noop", null], // bench routes exist only on a KEYPORT_BENCH server
      ["/api/bench/shaped", null],
      ["/api/bench/tutorial", null],
    ];
    // Every /api route of the build is in the list: a new one that forgets its OPTIONS export
    // (Next's own would answer TRACE with a 204) fails here.
    const manifest = JSON.parse(readFileSync(".next/app-path-routes-manifest.json", "utf8")) as Record<string, string>;
    const concrete = (route: string) => route.replace("[...nextauth]", "session").replace("[...path]", "no-such-route").replace("[id]", "abc");
    const apiRoutes = Object.values(manifest).filter((route) => route.startsWith("/api/")).map(concrete);
    expect(apiRoutes.filter((route) => !routes.some(([path]) => path === route))).toEqual([]);
    const problems: string[] = [];
    for (const [path, allow] of routes) {
      for (const method of ["TRACE", "PROPFIND", "MKCOL", "PURGE"]) {
        const response = await rawRequest(`${server.url}${path}`, method, []);
        const body = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
        const expected = allow ? [405, "method_not_allowed", allow] : [404, "not_found", null];
        const got = [response.status, body?.error?.code, response.headers.get("allow")];
        if (JSON.stringify(got) !== JSON.stringify(expected)) problems.push(`${method} ${path}: ${JSON.stringify(got)}`);
      }
    }
    // Pages: the same JSON 405.
    const page = await rawRequest(`${server.url}/sign-in`, "TRACE", []);
    expect([page.status, ((await page.json()) as { error: { code: string } }).error.code, page.headers.get("allow")]).toEqual([405, "method_not_allowed", "GET, HEAD, POST"]);
    // A client cannot pass its own method off as refused.
    const options = await rawRequest(`${server.url}/api/v1/me`, "OPTIONS", [["X-Keyport-Refused-Method", "TRACE"]]);
    expect(options.status).toBe(204);
    expect(problems).toEqual([]);
    expect(problemsIn(server.logs)).toEqual([]);
  });

  it("a method Node's parser does not know (FOO), and CONNECT, which Node hands apart, are the JSON 405 too", async () => {
    for (const method of ["FOO", "CONNECT"]) {
      const response = await rawRequest(`${server.url}/api/v1/me`, method, []);
      expect(response.status, method).toBe(405);
      expect(((await response.json()) as { error: { code: string } }).error.code, method).toBe("method_not_allowed");
    }
  });

  it("OPTIONS answers 204 with Cache-Control: no-store and the methods the route really serves", async () => {
    const expected: Record<string, string> = {
      "/api/health": "GET, HEAD, OPTIONS",
      "/api/auth/session": "GET, POST, HEAD, OPTIONS",
      "/api/v1/me": "GET, HEAD, OPTIONS",
      "/api/v1/keys": "GET, POST, HEAD, OPTIONS",
      "/api/v1/keys/abc": "GET, PATCH, DELETE, HEAD, OPTIONS",
      "/api/v1/keys/abc/roll": "POST, OPTIONS",
      "/api/v1/keys/abc/usage": "GET, HEAD, OPTIONS",
      "/api/v1/verify": "POST, OPTIONS",
      "/api/v1/openapi.json": "GET, HEAD, OPTIONS",
    };
    const answers: Record<string, string> = {};
    for (const path of Object.keys(expected)) {
      const response = await fetch(`${server.url}${path}`, { method: "OPTIONS" });
      answers[path] = `${response.status} ${response.headers.get("cache-control")} ${response.headers.get("allow")}`;
    }
    expect(answers).toEqual(Object.fromEntries(Object.entries(expected).map(([path, allow]) => [path, `204 no-store ${allow}`])));
  });

  it("PUT, PATCH and DELETE on /api/auth/* are the JSON 405, not Next's empty one", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const response = await fetch(`${server.url}/api/auth/session`, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
    }
  });
});

describe("forwarding headers and MAX_BODY_BYTES (scripts/serve.mjs)", () => {
  // Next's CSRF check of server actions compares Origin with X-Forwarded-Host (else Host):
  // a client that sends both as evil.example passes it, if the header is believed.
  const forgedAction = (url: string) =>
    rawRequest(
      `${url}/sign-in`,
      "POST",
      [
        ["Next-Action", "7f0000000000000000000000000000000000000000"],
        ["Origin", "http://evil.example"],
        ["X-Forwarded-Host", "evil.example"],
        ["X-Forwarded-Proto", "https"],
        ["Content-Type", "text/plain;charset=UTF-8"],
      ],
      "[]",
    );

  it("X-Forwarded-Host (and -Proto) from a client are dropped unless TRUST_PROXY is set: a forged server action fails Next's origin check", async () => {
    await forgedAction(server.url);
    const port = new URL(server.url).port;
    // Next compared the origin with the real Host, not with the forged header.
    expect(server.logs.join("\n")).toMatch(new RegExp(`header with value \`127\\.0\\.0\\.1:${port}\` does not match \`origin\` header with value \`evil\\.example\``));
    expect(server.logs.join("\n")).not.toMatch(/value `evil\.example` does not match/);

    // Behind a proxy of ours (TRUST_PROXY) the header is believed: the check passes (the test could fail).
    const proxied = await forgedAction(behindProxy.url);
    expect(proxied.status).not.toBe(500);
    expect(behindProxy.logs.join("\n")).not.toMatch(/does not match `origin`/);
  });

  it("MAX_BODY_BYTES sets the cap: a chunked body at it reaches the handler whole, a byte more is a 413", async () => {
    const owner = await createTestUser();
    const { secret } = await createTestKey(owner.id, { scopes: ["keys:write", "me:read"] });
    const body = JSON.stringify({ name: "chunked body", scopes: ["me:read"] }).padEnd(1_000, " ");
    const send = (payload: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = http.request(
          `${behindProxy.url}/api/v1/keys`,
          { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "transfer-encoding": "chunked" } },
          (response) => {
            let text = "";
            response.on("data", (chunk) => (text += chunk));
            response.on("end", () => resolve({ status: response.statusCode!, body: text }));
          },
        );
        request.on("error", reject);
        // In pieces, as a client streaming its body sends it.
        for (let at = 0; at < payload.length; at += 100) request.write(payload.slice(at, at + 100));
        request.end();
      });
    const accepted = await send(body);
    expect(accepted.status, accepted.body).toBe(201);
    expect(accepted.body).toContain('"chunked body"');
    const refused = await send(`${body} `);
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body)).toEqual({ error: { code: "payload_too_large", message: "The request body may be at most 1000 bytes." } });
    const declared = await rawUpload(behindProxy.url, { path: "/api/v1/keys", total: 1_001, chunked: false });
    expect(declared.status).toBe(413);
  });
});
