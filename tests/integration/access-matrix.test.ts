import { describe, expect, it } from "vitest";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as rollRoute from "@/app/api/v1/keys/[id]/roll/route";
import * as usageRoute from "@/app/api/v1/keys/[id]/usage/route";
import * as meRoute from "@/app/api/v1/me/route";
import * as verifyRoute from "@/app/api/v1/verify/route";
import { createTestKey, createTestUser } from "../helpers/factories";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Caller = "anonymous" | "owner" | "other user" | "admin";

/**
 * The access-control matrix of /api/v1: every route, called as anonymous, as user A on A's
 * key, as user B on A's key, and as an admin (with a full-scope key of their own) on A's
 * key. Exactly the cells marked true may succeed; every other cell must be refused with
 * the status given. Admins get no special reach through the API: a key acts for its owner.
 */
const ROUTES: { name: string; handler: Handler; method: string; path: (id: string) => string; body?: unknown; allowed: Record<Caller, true | number> }[] = [
  { name: "GET /me", handler: meRoute.GET as Handler, method: "GET", path: () => "/api/v1/me", allowed: { anonymous: 401, owner: true, "other user": true, admin: true } },
  { name: "GET /keys", handler: keysRoute.GET as Handler, method: "GET", path: () => "/api/v1/keys", allowed: { anonymous: 401, owner: true, "other user": true, admin: true } },
  { name: "POST /keys", handler: keysRoute.POST as Handler, method: "POST", path: () => "/api/v1/keys", body: { name: "matrix" }, allowed: { anonymous: 401, owner: true, "other user": true, admin: true } },
  { name: "GET /keys/{id}", handler: keyRoute.GET as Handler, method: "GET", path: (id) => `/api/v1/keys/${id}`, allowed: { anonymous: 401, owner: true, "other user": 404, admin: 404 } },
  { name: "PATCH /keys/{id}", handler: keyRoute.PATCH as Handler, method: "PATCH", path: (id) => `/api/v1/keys/${id}`, body: { name: "renamed by matrix" }, allowed: { anonymous: 401, owner: true, "other user": 404, admin: 404 } },
  { name: "GET /keys/{id}/usage", handler: usageRoute.GET as Handler, method: "GET", path: (id) => `/api/v1/keys/${id}/usage`, allowed: { anonymous: 401, owner: true, "other user": 404, admin: 404 } },
  { name: "POST /keys/{id}/roll", handler: rollRoute.POST as Handler, method: "POST", path: (id) => `/api/v1/keys/${id}/roll`, body: { graceSeconds: 60 }, allowed: { anonymous: 401, owner: true, "other user": 404, admin: 404 } },
  { name: "DELETE /keys/{id}", handler: keyRoute.DELETE as Handler, method: "DELETE", path: (id) => `/api/v1/keys/${id}`, allowed: { anonymous: 401, owner: true, "other user": 404, admin: 404 } },
  { name: "POST /verify", handler: verifyRoute.POST as Handler, method: "POST", path: () => "/api/v1/verify", allowed: { anonymous: 401, owner: 403, "other user": 403, admin: true } },
];

const ALL_SCOPES = ["me:read", "keys:read", "keys:write"];

describe("the /api/v1 access-control matrix", () => {
  it("exactly the allowed cells succeed, for every route and every kind of caller", async () => {
    const owner = await createTestUser();
    const other = await createTestUser();
    const admin = await createTestUser({ role: "ADMIN" });
    const credentials: Record<Caller, string | null> = {
      anonymous: null,
      owner: (await createTestKey(owner.id, { scopes: ALL_SCOPES })).secret,
      "other user": (await createTestKey(other.id, { scopes: ALL_SCOPES })).secret,
      admin: (await createTestKey(admin.id, { scopes: [...ALL_SCOPES, "verify"] })).secret,
    };

    const cells: string[] = [];
    for (const route of ROUTES) {
      for (const caller of Object.keys(credentials) as Caller[]) {
        // A fresh target per cell, so a roll or revoke in one cell cannot decide the next.
        const target = await createTestKey(owner.id, { name: "target" });
        const body = route.name === "POST /verify" ? { key: target.secret } : route.body;
        const secret = credentials[caller];
        const response = await route.handler(
          new Request(`http://localhost${route.path(target.key.id)}`, {
            method: route.method,
            headers: { ...(secret ? { authorization: `Bearer ${secret}` } : {}), "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
          }),
          { params: Promise.resolve({ id: target.key.id }) },
        );
        const expected = route.allowed[caller];
        const ok = response.status >= 200 && response.status < 300;
        if (expected === true ? !ok : response.status !== expected) cells.push(`${route.name} as ${caller}: got ${response.status}, expected ${expected === true ? "2xx" : expected}`);
      }
    }
    expect(cells).toEqual([]);
  });
});
