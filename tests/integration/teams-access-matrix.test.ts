import { describe, expect, it } from "vitest";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as rollRoute from "@/app/api/v1/keys/[id]/roll/route";
import * as usageRoute from "@/app/api/v1/keys/[id]/usage/route";
import * as meRoute from "@/app/api/v1/me/route";
import { ApiKeyError } from "@/lib/api-keys/errors";
import { listKeysPageForTeam, teamKeyIds } from "@/lib/api-keys/list-api-keys";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { db } from "@/lib/db";
import { TeamError } from "@/lib/teams/errors";
import { inviteTeamMember, revokeInvite } from "@/lib/teams/invitations";
import { addTeamMember, changeMemberRole, removeTeamMember } from "@/lib/teams/members";
import { deleteTeam, renameTeam, suspendTeam } from "@/lib/teams/manage-teams";
import { moveKeyToTeam } from "@/lib/teams/move-key-to-team";
import { asMember, authorizeTeam, type TeamActor } from "@/lib/teams/team-access";
import { createTestKey, createTestUser } from "../helpers/factories";
import { auditAs, createTeamKey, createTestTeam, insertTeamKeyCreatedBy } from "../helpers/teams";

type Caller = "owner" | "admin" | "developer" | "viewer" | "other team's owner" | "non-member";
const CALLERS: Caller[] = ["owner", "admin", "developer", "viewer", "other team's owner", "non-member"];

/** A fresh team per cell: an owner, an admin, a developer, a viewer, a spare developer to act on, and an outsider team. */
async function world() {
  const { team, users } = await createTestTeam({ owner: "owner", admin: "admin", developer: "developer", viewer: "viewer", spare: "developer" });
  const other = await createTestTeam({ otherOwner: "owner" });
  const outsider = await createTestUser();
  const callerId: Record<Caller, string> = {
    owner: users.owner.id,
    admin: users.admin.id,
    developer: users.developer.id,
    viewer: users.viewer.id,
    "other team's owner": other.users.otherOwner.id,
    "non-member": outsider.id,
  };
  return { team, users, callerId };
}
type World = Awaited<ReturnType<typeof world>>;

/** What a refused cell answers: the error's code. */
async function outcome(action: () => Promise<unknown>): Promise<true | string> {
  try {
    await action();
    return true;
  } catch (error) {
    if (error instanceof TeamError || error instanceof ApiKeyError) return error.code;
    throw error;
  }
}

const ref = (w: World) => ({ teamId: w.team.id });
const as = (w: World, caller: Caller): TeamActor => asMember(w.callerId[caller]);

// Every team action, with the cells that may succeed; every other cell must be refused with
// the code given (not_found for anyone outside the team, as for a team that does not exist).
const OUTSIDE = { "other team's owner": "not_found", "non-member": "not_found" } as const;
const ACTIONS: { name: string; run: (w: World, caller: Caller) => Promise<unknown>; allowed: Record<Caller, true | string> }[] = [
  { name: "view the team's audit log", run: (w, c) => authorizeTeam(db, ref(w), as(w, c), "audit.view"), allowed: { owner: true, admin: true, developer: true, viewer: true, ...OUTSIDE } },
  { name: "list the team's keys", run: (w, c) => listKeysPageForTeam({ teamId: w.team.id, userId: w.callerId[c] }), allowed: { owner: true, admin: true, developer: true, viewer: true, ...OUTSIDE } },
  { name: "read the team's usage", run: (w, c) => teamKeyIds({ teamId: w.team.id, userId: w.callerId[c] }), allowed: { owner: true, admin: true, developer: true, viewer: true, ...OUTSIDE } },
  { name: "create a team key", run: (w, c) => createTeamKey(w.team.id, w.callerId[c]), allowed: { owner: true, admin: true, developer: true, viewer: "forbidden_role", ...OUTSIDE } },
  {
    name: "revoke a team key they created",
    run: async (w, c) => {
      const { key } = await insertTeamKeyCreatedBy(w.team.id, w.callerId[c]);
      return revokeApiKey({ keyId: key.id, team: { teamId: w.team.id, userId: w.callerId[c] } }, auditAs(w.callerId[c]));
    },
    allowed: { owner: true, admin: true, developer: true, viewer: "forbidden_role", ...OUTSIDE },
  },
  {
    name: "revoke a team key someone else created",
    run: async (w, c) => {
      const { key } = await createTeamKey(w.team.id, w.users.spare.id);
      return revokeApiKey({ keyId: key.id, team: { teamId: w.team.id, userId: w.callerId[c] } }, auditAs(w.callerId[c]));
    },
    allowed: { owner: true, admin: true, developer: "forbidden_role", viewer: "forbidden_role", ...OUTSIDE },
  },
  {
    name: "move a personal key into the team",
    run: async (w, c) => {
      const { key } = await createTestKey(w.callerId[c]);
      return moveKeyToTeam({ keyId: key.id, userId: w.callerId[c], teamId: w.team.id }, auditAs(w.callerId[c]));
    },
    allowed: { owner: true, admin: true, developer: "forbidden_role", viewer: "forbidden_role", ...OUTSIDE },
  },
  {
    name: "add a member",
    run: async (w, c) => addTeamMember({ team: ref(w), actor: as(w, c), email: (await createTestUser()).email, role: "viewer" }, auditAs(w.callerId[c])),
    allowed: { owner: true, admin: true, developer: "forbidden", viewer: "forbidden", ...OUTSIDE },
  },
  {
    name: "change a developer's role",
    run: (w, c) => changeMemberRole({ team: ref(w), actor: as(w, c), userId: w.users.spare.id, role: "viewer" }, auditAs(w.callerId[c])),
    allowed: { owner: true, admin: true, developer: "forbidden", viewer: "forbidden", ...OUTSIDE },
  },
  {
    name: "make someone an owner",
    run: (w, c) => changeMemberRole({ team: ref(w), actor: as(w, c), userId: w.users.spare.id, role: "owner" }, auditAs(w.callerId[c])),
    allowed: { owner: true, admin: "forbidden", developer: "forbidden", viewer: "forbidden", ...OUTSIDE },
  },
  {
    name: "remove a developer",
    run: (w, c) => removeTeamMember({ team: ref(w), actor: as(w, c), userId: w.users.spare.id }, auditAs(w.callerId[c])),
    allowed: { owner: true, admin: true, developer: "forbidden", viewer: "forbidden", ...OUTSIDE },
  },
  {
    name: "remove an owner (another owner stays)",
    run: async (w, c) => {
      await changeMemberRole({ team: ref(w), actor: { kind: "operator" }, userId: w.users.spare.id, role: "owner" }, auditAs(null));
      return removeTeamMember({ team: ref(w), actor: as(w, c), userId: w.users.spare.id }, auditAs(w.callerId[c]));
    },
    allowed: { owner: true, admin: "forbidden", developer: "forbidden", viewer: "forbidden", ...OUTSIDE },
  },
  {
    name: "invite a developer",
    run: (w, c) => inviteTeamMember({ team: ref(w), actor: as(w, c), email: "invitee@example.test", role: "developer" }, auditAs(w.callerId[c])),
    allowed: { owner: true, admin: true, developer: "forbidden", viewer: "forbidden", ...OUTSIDE },
  },
  {
    name: "invite an owner",
    run: (w, c) => inviteTeamMember({ team: ref(w), actor: as(w, c), email: "invitee@example.test", role: "owner" }, auditAs(w.callerId[c])),
    allowed: { owner: true, admin: "forbidden", developer: "forbidden", viewer: "forbidden", ...OUTSIDE },
  },
  {
    name: "revoke an invitation",
    run: async (w, c) => {
      const { inviteId } = await inviteTeamMember({ team: ref(w), actor: { kind: "operator" }, email: "invitee@example.test", role: "viewer" }, auditAs(null));
      return revokeInvite({ team: ref(w), actor: as(w, c), inviteId }, auditAs(w.callerId[c]));
    },
    allowed: { owner: true, admin: true, developer: "forbidden", viewer: "forbidden", ...OUTSIDE },
  },
  {
    name: "rename the team",
    run: (w, c) => renameTeam({ team: ref(w), actor: as(w, c), name: "Renamed" }, auditAs(w.callerId[c])),
    allowed: { owner: true, admin: true, developer: "forbidden", viewer: "forbidden", ...OUTSIDE },
  },
  {
    name: "suspend the team",
    run: (w, c) => suspendTeam({ team: ref(w), actor: as(w, c), reason: "matrix check" }, auditAs(w.callerId[c])),
    allowed: { owner: true, admin: "forbidden", developer: "forbidden", viewer: "forbidden", ...OUTSIDE },
  },
  {
    name: "delete the team",
    run: (w, c) => deleteTeam({ team: ref(w), actor: as(w, c) }, auditAs(w.callerId[c])),
    allowed: { owner: true, admin: "forbidden", developer: "forbidden", viewer: "forbidden", ...OUTSIDE },
  },
];

describe("the team access-control matrix", () => {
  it("every role × every team action: exactly the allowed cells succeed, others get the named refusal (outsiders: not_found)", { timeout: 180_000 }, async () => {
    const wrong: string[] = [];
    for (const action of ACTIONS) {
      for (const caller of CALLERS) {
        const w = await world();
        const got = await outcome(() => action.run(w, caller));
        const expected = action.allowed[caller];
        if (got !== expected) wrong.push(`${action.name} as ${caller}: got ${got}, expected ${expected === true ? "success" : expected}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type KeyCaller = "owner's team key" | "admin's team key" | "developer's team key" | "viewer's team key" | "removed creator's team key" | "other team's key" | "owner's personal key";

// /api/v1 with team keys: each caller key acts on a team key an admin created. A team key
// acts within its creator's CURRENT role; a personal key never reaches team keys (404), nor
// does another team's key.
const API: { name: string; handler: Handler; method: string; path: (id: string) => string; body?: unknown; allowed: Record<KeyCaller, true | number> }[] = [
  { name: "GET /me", handler: meRoute.GET as Handler, method: "GET", path: () => "/api/v1/me", allowed: { "owner's team key": true, "admin's team key": true, "developer's team key": true, "viewer's team key": true, "removed creator's team key": true, "other team's key": true, "owner's personal key": true } },
  { name: "GET /keys", handler: keysRoute.GET as Handler, method: "GET", path: () => "/api/v1/keys", allowed: { "owner's team key": true, "admin's team key": true, "developer's team key": true, "viewer's team key": true, "removed creator's team key": 403, "other team's key": true, "owner's personal key": true } },
  { name: "POST /keys", handler: keysRoute.POST as Handler, method: "POST", path: () => "/api/v1/keys", body: { name: "matrix", scopes: ["me:read"] }, allowed: { "owner's team key": true, "admin's team key": true, "developer's team key": true, "viewer's team key": 403, "removed creator's team key": 403, "other team's key": true, "owner's personal key": true } },
  { name: "GET /keys/{id}", handler: keyRoute.GET as Handler, method: "GET", path: (id) => `/api/v1/keys/${id}`, allowed: { "owner's team key": true, "admin's team key": true, "developer's team key": true, "viewer's team key": true, "removed creator's team key": 403, "other team's key": 404, "owner's personal key": 404 } },
  { name: "GET /keys/{id}/usage", handler: usageRoute.GET as Handler, method: "GET", path: (id) => `/api/v1/keys/${id}/usage`, allowed: { "owner's team key": true, "admin's team key": true, "developer's team key": true, "viewer's team key": true, "removed creator's team key": 403, "other team's key": 404, "owner's personal key": 404 } },
  { name: "PATCH /keys/{id}", handler: keyRoute.PATCH as Handler, method: "PATCH", path: (id) => `/api/v1/keys/${id}`, body: { name: "renamed" }, allowed: { "owner's team key": true, "admin's team key": true, "developer's team key": 403, "viewer's team key": 403, "removed creator's team key": 403, "other team's key": 404, "owner's personal key": 404 } },
  { name: "POST /keys/{id}/roll", handler: rollRoute.POST as Handler, method: "POST", path: (id) => `/api/v1/keys/${id}/roll`, body: { graceSeconds: 60 }, allowed: { "owner's team key": true, "admin's team key": true, "developer's team key": 403, "viewer's team key": 403, "removed creator's team key": 403, "other team's key": 404, "owner's personal key": 404 } },
  { name: "DELETE /keys/{id}", handler: keyRoute.DELETE as Handler, method: "DELETE", path: (id) => `/api/v1/keys/${id}`, allowed: { "owner's team key": true, "admin's team key": true, "developer's team key": 403, "viewer's team key": 403, "removed creator's team key": 403, "other team's key": 404, "owner's personal key": 404 } },
];

describe("the /api/v1 matrix for team keys", () => {
  it("a team key acts on its team within its creator's current role; other teams' and personal keys get 404", { timeout: 120_000 }, async () => {
    const { team, users } = await createTestTeam({ owner: "owner", admin: "admin", developer: "developer", viewer: "viewer", leaver: "developer" });
    const other = await createTestTeam({ otherOwner: "owner" });
    const credentials: Record<KeyCaller, string> = {
      "owner's team key": (await createTeamKey(team.id, users.owner.id)).secret,
      "admin's team key": (await createTeamKey(team.id, users.admin.id)).secret,
      "developer's team key": (await createTeamKey(team.id, users.developer.id)).secret,
      // Made while a developer; the viewer role they hold now is what counts.
      "viewer's team key": (await insertTeamKeyCreatedBy(team.id, users.viewer.id)).secret,
      "removed creator's team key": (await createTeamKey(team.id, users.leaver.id)).secret,
      "other team's key": (await createTeamKey(other.team.id, other.users.otherOwner.id)).secret,
      "owner's personal key": (await createTestKey(users.owner.id, { scopes: ["me:read", "keys:read", "keys:write"] })).secret,
    };
    await removeTeamMember({ team: { teamId: team.id }, actor: { kind: "operator" }, userId: users.leaver.id }, auditAs(null));

    const wrong: string[] = [];
    for (const route of API) {
      for (const caller of Object.keys(credentials) as KeyCaller[]) {
        const target = await createTeamKey(team.id, users.admin.id, { name: "target", scopes: ["me:read"] });
        const response = await route.handler(
          new Request(`http://localhost${route.path(target.key.id)}`, {
            method: route.method,
            headers: { authorization: `Bearer ${credentials[caller]}`, "content-type": "application/json" },
            body: route.body === undefined ? undefined : JSON.stringify(route.body),
          }),
          { params: Promise.resolve({ id: target.key.id }) },
        );
        const expected = route.allowed[caller];
        const ok = response.status >= 200 && response.status < 300;
        if (expected === true ? !ok : response.status !== expected) wrong.push(`${route.name} as ${caller}: got ${response.status}, expected ${expected === true ? "2xx" : expected}`);
        // Keep the team under its cap: each cell's target and any key it made go away.
        await db.apiKey.updateMany({ where: { teamId: team.id, name: { in: ["target", "matrix", "renamed"] } }, data: { revokedAt: new Date() } });
        await db.apiKey.updateMany({ where: { teamId: team.id, rolledFromId: { not: null } }, data: { revokedAt: new Date() } });
      }
    }
    expect(wrong).toEqual([]);
  });
});
