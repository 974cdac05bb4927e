import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";

// POST /api/v1/leaks is live only with a signing key configured; the corpus gets one of its own.
const leakSigner = await vi.hoisted(async () => {
  const { generateKeyPairSync } = await import("node:crypto");
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  process.env.LEAKS_PUBLIC_KEYS = JSON.stringify({ "corpus-key": publicKey.export({ type: "spki", format: "pem" }) });
  return privateKey;
});

// The sign-up server action reads the request's headers and sets the session cookie
// through next/headers, which only exists inside a Next request. This is the one thing
// replaced: the action itself, its parsing, signUpUser and the sign-in run as they do
// behind the sign-up form.
const requestHeaders = vi.hoisted(() => ({ current: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => ({
  headers: async () => requestHeaders.current,
  cookies: async () => ({
    get: (name: string) => (requestHeaders.cookies.has(name) ? { name, value: requestHeaders.cookies.get(name) } : undefined),
    set: (name: string, value: string) => void requestHeaders.cookies.set(name, value),
  }),
}));

import { sign } from "node:crypto";
import { signUpAction } from "@/app/(auth)/actions";
import { GET as health } from "@/app/api/health/route";
import { GET as me } from "@/app/api/v1/me/route";
import { SCOPE_NAMES } from "@/lib/api-keys/scopes";
import { authOptions } from "@/lib/auth";
import { SignInThrottledError } from "@/lib/rate-limit/sign-in-throttle";
import { db } from "@/lib/db";
import {
  HOSTILE_FORM_VALUES,
  HOSTILE_PATH_SEGMENTS,
  hostileBodies,
  type HostileBody,
  hostileCredentials,
  type HostileHeaders,
  problemWith,
  unsendableHeaderValues,
} from "../fixtures/hostile-corpus";
import { createTestKey, createTestUser } from "../helpers/factories";

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type RouteModule = Partial<Record<Method, Handler>>;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
const BODY_METHODS = new Set<Method>(["POST", "PUT", "PATCH", "DELETE"]);

interface Route {
  /** The folder under app/api/v1, e.g. "keys/[id]". */
  folder: string;
  module: RouteModule;
  url: (segment?: string) => string;
  params: (segment?: string) => Record<string, string | string[]>;
}

/** Every route.ts under app/api/v1, found on disk so a route added later is in the corpus too. */
async function discoverRoutes(): Promise<Route[]> {
  const root = path.resolve("app/api/v1");
  const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((file) => path.basename(file) === "route.ts");
  return Promise.all(
    files.map(async (file) => {
      const folder = path.dirname(file).split(path.sep).join("/");
      // [id] takes one segment, [...path] a list; either gets `value` in the URL and the params.
      const build = (value: string) => {
        const params: Record<string, string | string[]> = {};
        const parts = folder.split("/").map((segment) => {
          const match = /^\[(\.\.\.)?(.+)\]$/.exec(segment);
          if (!match) return segment;
          params[match[2]] = match[1] ? [value] : value;
          return encodeURIComponent(value);
        });
        return { url: `http://localhost/api/v1/${parts.join("/")}`, params };
      };
      return {
        folder,
        module: (await import(/* @vite-ignore */ path.join(root, file))) as RouteModule,
        url: (segment = "zzzznotakey") => build(segment).url,
        params: (segment = "zzzznotakey") => build(segment).params,
      };
    }),
  );
}

function requestFor(url: string, method: Method, headers: HostileHeaders["headers"], body?: { body: string | Uint8Array; contentType?: string }) {
  const sent = new Headers();
  for (const [name, value] of headers) sent.append(name, value);
  if (body?.contentType) sent.set("content-type", body.contentType);
  return new Request(url, { method, headers: sent, body: BODY_METHODS.has(method) ? (body?.body as BodyInit) : undefined });
}

const KEY_REFUSALS = ["missing_key", "malformed_key", "unknown_key"];
const signed = (body: string | Uint8Array) => sign("sha256", typeof body === "string" ? Buffer.from(body) : body, leakSigner).toString("base64");

let routes: Route[];
let owner: Awaited<ReturnType<typeof createTestUser>>;
let valid: string;
let stranger: { keyId: string; secret: string };
let cases: HostileHeaders[];
let bodies: ReturnType<typeof hostileBodies>;

beforeAll(async () => {
  routes = await discoverRoutes();
  // An admin's key may hold every scope, so the corpus reaches past the scope check of every route.
  owner = await createTestUser({ name: "Corpus Owner", role: "ADMIN" });
  const corpusKey = await createTestKey(owner.id, { environment: "live", scopes: [...SCOPE_NAMES] });
  valid = corpusKey.secret;
  // The corpus sends this key a few thousand times; its own limit must not answer in place of the routes.
  await db.apiKey.update({ where: { id: corpusKey.key.id }, data: { rateLimitPerMinute: 10_000_000 } });
  const strangerUser = await createTestUser();
  const strangerKey = await createTestKey(strangerUser.id, { scopes: ["me:read", "keys:write"] });
  stranger = { keyId: strangerKey.key.id, secret: strangerKey.secret };
  cases = hostileCredentials(valid, stranger.secret);
  bodies = hostileBodies(valid);
});

describe("hostile input: the corpus", () => {
  it("holds at least 200 credential cases, and the bodies, paths and form values besides", () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(bodies.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it("header values the Fetch API refuses (NUL, CR, LF, non-latin1) throw in Headers and can never reach a handler", () => {
    const refused = unsendableHeaderValues(valid);
    expect(refused.length).toBeGreaterThanOrEqual(15);
    for (const [name, value] of refused) {
      expect(() => new Headers([["authorization", value]]), name).toThrow(TypeError);
      expect(() => new Headers([["x-api-key", value.replace(/^Bearer /, "")]]), name).toThrow(TypeError);
    }
    expect(() => new Headers([["x api key", valid]])).toThrow(TypeError);
  });

  it("covers every route.ts under app/api/v1, and each answers GET, POST, PUT, PATCH and DELETE itself (never Next's empty 405)", () => {
    expect(routes.map((route) => route.folder)).toEqual(expect.arrayContaining(["me", "keys/[id]", "[...path]", "leaks"]));
    const missing = routes.flatMap((route) => METHODS.filter((method) => typeof route.module[method] !== "function").map((method) => `${method} ${route.folder}`));
    expect(missing).toEqual([]);
  });
});

describe("hostile input: /api/v1", () => {
  it("every credential case is refused by every route and method as it refuses no key at all: a key-guarded one with a JSON 401", async () => {
    const problems: string[] = [];
    let calls = 0;
    for (const route of routes) {
      for (const method of METHODS) {
        const call = (headers: HostileHeaders["headers"], body?: HostileBody) =>
          route.module[method]!(requestFor(route.url(), method, headers, body), { params: Promise.resolve(route.params()) });
        // What the route says to a request with no credentials decides what every case must get.
        const baseline = await call([]);
        const baselineBody = await baseline.clone().text();
        const guarded = baseline.status === 401 && baselineBody.includes('"missing_key"');
        for (const [index, hostile] of cases.entries()) {
          const response = await call(hostile.headers, bodies[index % bodies.length]);
          calls++;
          const label = `${method} /api/v1/${route.folder} — ${hostile.name}`;
          if (baseline.status < 400) {
            // A public route (the OpenAPI document): credentials change nothing.
            if (response.status !== baseline.status || !/^application\/json\b/.test(response.headers.get("content-type") ?? "")) problems.push(`${label}: ${response.status}`);
            continue;
          }
          const problem = await problemWith(response, hostile.headers.map(([, value]) => value), guarded ? { status: 401, codes: KEY_REFUSALS } : { status: baseline.status });
          if (problem) problems.push(`${label}: ${problem}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(routes.length * METHODS.length * 200);
  });

  it("every body in the corpus, sent with a valid key to every route that takes one, gets a documented 4xx, and changes nothing", async () => {
    const before = await db.apiKey.findMany({ where: { ownerId: owner.id }, select: { id: true, revokedAt: true, graceEndsAt: true, name: true, scopes: true } });
    const problems: string[] = [];
    const statuses = new Map<string, number>();
    for (const route of routes) {
      for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const) {
        for (const body of bodies) {
          const response = await route.module[method]!(requestFor(route.url(), method, [["authorization", `Bearer ${valid}`]], body), { params: Promise.resolve(route.params()) });
          statuses.set(`${response.status}`, (statuses.get(`${response.status}`) ?? 0) + 1);
          const problem = await problemWith(response, [valid]);
          if (problem) problems.push(`${method} /api/v1/${route.folder} — ${body.name}: ${problem}`);
        }
      }
    }
    expect(problems).toEqual([]);
    const after = await db.apiKey.findMany({ where: { ownerId: owner.id }, select: { id: true, revokedAt: true, graceEndsAt: true, name: true, scopes: true } });
    expect(after).toEqual(before);
  });

  it("DELETE /api/v1/keys/{id} with the owner's own valid key and a hostile id or another owner's key id is a JSON 404, and nothing is revoked", async () => {
    const keys = routes.find((route) => route.folder === "keys/[id]")!;
    const problems: string[] = [];
    for (const id of [...HOSTILE_PATH_SEGMENTS, stranger.keyId]) {
      const response = await keys.module.DELETE!(requestFor(keys.url(id), "DELETE", [["authorization", `Bearer ${valid}`], ["user-agent", "<script>alert(1)</script>"], ["x-forwarded-for", "' OR 1=1 --"]]), {
        params: Promise.resolve(keys.params(id)),
      });
      const problem = await problemWith(response, [id], { status: 404, codes: ["not_found"] });
      if (problem) problems.push(`id ${JSON.stringify(id.slice(0, 40))}: ${problem}`);
    }
    expect(problems).toEqual([]);
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: stranger.keyId }, select: { revokedAt: true } })).toEqual({ revokedAt: null });
  });

  it("a body sent with a valid key to a route that takes none is a JSON 405 naming the methods it accepts", async () => {
    const meRoute = routes.find((route) => route.folder === "me")!;
    const problems: string[] = [];
    for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const) {
      for (const body of bodies) {
        const response = await meRoute.module[method]!(requestFor(meRoute.url(), method, [["authorization", `Bearer ${valid}`]], body), { params: Promise.resolve({}) });
        expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
        const problem = await problemWith(response, [], { status: 405, codes: ["method_not_allowed"] });
        if (problem) problems.push(`${method} ${body.name}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("an unknown /api/v1 path is a JSON 404 that never reflects HTML, whatever the path holds", async () => {
    const catchAll = routes.find((route) => route.folder === "[...path]")!;
    const problems: string[] = [];
    for (const segment of HOSTILE_PATH_SEGMENTS) {
      for (const method of METHODS) {
        const response = await catchAll.module[method]!(requestFor(`http://localhost/api/v1/${segment}`, method, []), { params: Promise.resolve({ path: [segment] }) });
        const problem = await problemWith(response, segment.length > 200 ? [segment] : [], { status: 404, codes: ["not_found"] });
        if (problem) problems.push(`${method} ${JSON.stringify(segment.slice(0, 40))}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("hostile input: POST /api/v1/leaks", () => {
  const leaks = () => routes.find((route) => route.folder === "leaks")!.module.POST!;
  const post = (body: ReturnType<typeof hostileBodies>[number], headers: [string, string][]) =>
    leaks()(requestFor("http://localhost/api/v1/leaks", "POST", headers, body), { params: Promise.resolve({}) });

  it("refuses every body with a missing, malformed, foreign or prototype-named signature with 401 invalid_signature (or 413 when too large)", async () => {
    const signatureCases: [string, [string, string][]][] = [
      ["no signature headers", []],
      ["identifier only", [["github-public-key-identifier", "corpus-key"]]],
      ["signature only", [["github-public-key-signature", signed("[]")]]],
      ["empty signature", [["github-public-key-identifier", "corpus-key"], ["github-public-key-signature", ""]]],
      ["not base64", [["github-public-key-identifier", "corpus-key"], ["github-public-key-signature", "not base64 at all!"]]],
      ["16 KB signature", [["github-public-key-identifier", "corpus-key"], ["github-public-key-signature", "A".repeat(16 * 1024)]]],
      ["random bytes", [["github-public-key-identifier", "corpus-key"], ["github-public-key-signature", Buffer.alloc(72, 7).toString("base64")]]],
      ["signature of another body", [["github-public-key-identifier", "corpus-key"], ["github-public-key-signature", signed("[]  ")]]],
      ["signature in hex", [["github-public-key-identifier", "corpus-key"], ["github-public-key-signature", Buffer.from(signed("[]"), "base64").toString("hex")]]],
      ...["__proto__", "constructor", "toString", "hasOwnProperty", "' OR 1=1 --", "<script>", "x".repeat(16 * 1024)].map(
        (identifier): [string, [string, string][]] => [`identifier ${identifier.slice(0, 20)}`, [["github-public-key-identifier", identifier], ["github-public-key-signature", signed("[]")]]],
      ),
    ];
    const problems: string[] = [];
    for (const [name, headers] of signatureCases) {
      for (const body of bodies) {
        // Bytes are signed as sent; a signature over other bytes must not pass for these.
        const response = await post(body, headers);
        const tooLarge = typeof body.body === "string" && body.body.length > 1_048_576;
        // Both headers present: the body is read (and refused past the limit) before the signature is checked.
        const read = headers.length === 2 && headers.every(([, value]) => value !== "");
        const problem = await problemWith(response, headers.map(([, value]) => value), tooLarge && read ? { status: 413, codes: ["payload_too_large"] } : { status: 401, codes: ["invalid_signature"] });
        if (problem) problems.push(`${name} / ${body.name}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
    expect(signatureCases.length * bodies.length).toBeGreaterThanOrEqual(500);
  });

  it("a correctly signed report of junk gets 400, 413, 422 or verdicts, never a 5xx, and marks no junk a true positive", async () => {
    const problems: string[] = [];
    for (const body of bodies) {
      const response = await post(body, [["github-public-key-identifier", "corpus-key"], ["github-public-key-signature", signed(body.body)]]);
      if (response.status === 200) {
        const verdicts = (await response.json()) as { token_hash: string; token_type: string; label: string }[];
        const wrong = verdicts.filter((v) => !/^[0-9a-f]{64}$/.test(v.token_hash) || typeof v.token_type !== "string" || v.label !== "false_positive" || Object.keys(v).length !== 3);
        if (wrong.length) problems.push(`${body.name}: verdicts ${JSON.stringify(wrong.slice(0, 2))}`);
        continue;
      }
      const problem = await problemWith(response, []);
      if (problem || ![400, 413, 422].includes(response.status)) problems.push(`${body.name}: ${problem ?? `status ${response.status}`}`);
    }
    expect(problems).toEqual([]);
  });
});

describe("hostile input: /api/health, sign-up and sign-in", () => {
  it("GET /api/health answers its documented ok whatever the request carries, and other methods a JSON 405", async () => {
    const healthModule = (await import("@/app/api/health/route")) as RouteModule;
    const problems: string[] = [];
    for (const hostile of cases.slice(0, 60)) {
      const response = await (health as unknown as Handler)(requestFor("http://localhost/api/health", "GET", hostile.headers), { params: Promise.resolve({}) });
      const body = await response.json();
      if (response.status !== 200 || JSON.stringify(body) !== '{"status":"ok","database":"ok"}') problems.push(`${hostile.name}: ${response.status}`);
    }
    for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const) {
      const response = await healthModule[method]!(requestFor("http://localhost/api/health", method, [], bodies[0]), { params: Promise.resolve({}) });
      const problem = await problemWith(response, [], { status: 405, codes: ["method_not_allowed"] });
      if (problem) problems.push(`${method}: ${problem}`);
    }
    expect(problems).toEqual([]);
  });

  it("sign-in through the credentials provider refuses every hostile credential with null (or the throttle's refusal), never anything else", async () => {
    const provider = authOptions.providers[0] as unknown as {
      options: { authorize: (credentials: unknown, request: { headers: Record<string, string> }) => Promise<unknown> };
    };
    const credentials: unknown[] = [
      undefined,
      null,
      {},
      { email: ["a@b.io"], password: ["x"] },
      { email: { $ne: null }, password: { $ne: null } },
      { email: 1, password: true },
      { email: owner.email, password: { toString: "x" } },
      ...HOSTILE_FORM_VALUES.flatMap((value) => [
        { email: value, password: value },
        { email: owner.email, password: value },
        { email: value, password: "a long and unusual passphrase" },
      ]),
    ];
    const problems: string[] = [];
    for (const [i, given] of credentials.entries()) {
      // A fresh address per attempt: this is about input, not the throttle (tested on its own).
      const headers = { "x-forwarded-for": `198.51.100.${i % 250}, 203.0.113.${Math.floor(i / 250)}`, "user-agent": "\u001b[2J<script>" };
      try {
        const user = await provider.options.authorize(given, { headers });
        if (user !== null) problems.push(`${i}: signed in as ${JSON.stringify(user)}`);
      } catch (error) {
        // An account's failures run out after SIGN_IN_ATTEMPTS_PER_ACCOUNT: that refusal is documented too.
        if (!(error instanceof SignInThrottledError)) problems.push(`${i}: threw ${String(error).slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("the sign-up action answers every hostile form with { values, errors | message } or a redirect to the dashboard, never throws, and stores what it accepts as plain data", async () => {
    const problems: string[] = [];
    const forms: [string, Record<string, string | Blob | undefined>][] = [];
    const strong = "a long and unusual passphrase";
    for (const [i, value] of HOSTILE_FORM_VALUES.entries()) {
      forms.push([`all fields ${i}`, { name: value, email: value, password: value }]);
      forms.push([`name ${i}`, { name: value, email: `hostile-${i}-${Date.now()}@example.test`, password: strong }]);
      forms.push([`email ${i}`, { email: value, password: strong }]);
      forms.push([`password ${i}`, { email: `pw-${i}-${Date.now()}@example.test`, password: value }]);
    }
    forms.push(["files instead of text", { name: new Blob(["x"]), email: new Blob(["a@b.io"]), password: new Blob([strong]) }]);
    forms.push(["no fields at all", {}]);
    for (const [i, [name, fields]] of forms.entries()) {
      const form = new FormData();
      for (const [field, value] of Object.entries(fields)) if (value !== undefined) form.append(field, value);
      // A fresh (hostile-looking) address per form: this is about input, not the sign-up throttle.
      requestHeaders.current = new Headers({ "user-agent": "<script>alert(1)</script>", "x-forwarded-for": `' OR 1=1 -- ${i}` });
      try {
        let accepted = false;
        const result = await signUpAction({ values: { email: "", name: "" } }, form).catch((error: { digest?: string }) => {
          // A successful sign-up signs in and redirects: next/navigation's redirect() throws this.
          if (typeof error?.digest === "string" && error.digest.startsWith("NEXT_REDIRECT;") && error.digest.includes("/dashboard")) accepted = true;
          else throw error;
          return null;
        });
        if (result) {
          const keys = Object.keys(result).sort().join(",");
          const messages = [...Object.values(result.errors ?? {}).flat(), result.message].filter((m): m is string => typeof m === "string");
          const echoed = messages.find((message) => HOSTILE_FORM_VALUES.some((value) => value.length >= 8 && message.includes(value)));
          if (!["errors,values", "message,values", "errors,message,values"].includes(keys) || echoed) problems.push(`${name}: ${JSON.stringify(result).slice(0, 200)}`);
          if (result.errors && Object.values(result.errors).some((list) => !Array.isArray(list) || list.some((m) => typeof m !== "string"))) problems.push(`${name}: errors shape`);
        }
        if (accepted && typeof fields.email === "string") {
          const user = await db.user.findUniqueOrThrow({ where: { email: fields.email.trim().toLowerCase() }, select: { name: true } });
          const expected = typeof fields.name === "string" ? fields.name.trim() || null : null;
          if (user.name !== expected) problems.push(`${name}: stored name ${JSON.stringify(user.name)}`);
        }
      } catch (error) {
        problems.push(`${name}: threw ${String(error).slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
    // The injection strings were data, not SQL: the tables are all still there.
    expect(await db.user.count()).toBeGreaterThan(0);
    expect(await db.apiKey.count()).toBeGreaterThan(0);
  });
});

describe("hostile input: afterwards", () => {
  it("a valid key still authenticates after the whole corpus: the server keeps serving", async () => {
    for (const secret of [valid, stranger.secret]) {
      const response = await me(new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${secret}` } }), { params: Promise.resolve({}) });
      expect(response.status).toBe(200);
      expect((await response.json()).key.start).toBe(secret.slice(0, 12));
    }
  });
});
