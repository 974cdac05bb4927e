import { describe, expect, it, vi } from "vitest";

// A small team cap, so the cap test needs only a few keys (lib/env reads it at first import).
vi.hoisted(() => {
  process.env.MAX_ACTIVE_KEYS_PER_TEAM = "3";
});

import * as keysRoute from "@/app/api/v1/keys/route";
import * as meRoute from "@/app/api/v1/me/route";
import * as verifyRoute from "@/app/api/v1/verify/route";
import { MeSchema, VerifyResultSchema } from "@/lib/api/schemas";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { listKeysPageForOwner, listKeysPageForTeam } from "@/lib/api-keys/list-api-keys";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { recordGraceEndings } from "@/lib/api-keys/record-grace-endings";
import { rollApiKey } from "@/lib/api-keys/roll-api-key";
import { verificationCache } from "@/lib/api-keys/verification-cache";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { setUserDisabled } from "@/lib/admin/manage-users";
import { db } from "@/lib/db";
import { hashApiKey } from "@/lib/api-keys/key-format";
import { acceptInvite, inviteTeamMember, previewInvite, revokeInvite } from "@/lib/teams/invitations";
import { deleteTeam, suspendTeam, unsuspendTeam } from "@/lib/teams/manage-teams";
import { changeMemberRole, leaveTeam, removeTeamMember, teamsOnlyOwnedBy } from "@/lib/teams/members";
import { moveKeyToTeam } from "@/lib/teams/move-key-to-team";
import { asMember } from "@/lib/teams/team-access";
import { createTestKey, createTestUser } from "../helpers/factories";
import { auditAs, createTeamKey, createTestTeam } from "../helpers/teams";

const OPERATOR = { kind: "operator" } as const;

function call(handler: (request: Request, context: { params: Promise<Record<string, never>> }) => Promise<Response>, secret: string, method = "GET", body?: unknown) {
  return handler(
    new Request("http://localhost/api/v1/x", { method, headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) }),
    { params: Promise.resolve({}) },
  );
}

describe("a team key does not depend on its creator", () => {
  it("keeps verifying when its creator leaves, is removed, is disabled or deletes their account; a personal key of a disabled user does not", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", leaver: "developer", removed: "developer", disabled: "developer" });
    const left = await createTeamKey(team.id, users.leaver.id);
    const removed = await createTeamKey(team.id, users.removed.id);
    const disabled = await createTeamKey(team.id, users.disabled.id);
    const personal = await createTestKey(users.disabled.id);

    await leaveTeam({ team: { teamId: team.id }, userId: users.leaver.id }, auditAs(users.leaver.id));
    await removeTeamMember({ team: { teamId: team.id }, actor: asMember(users.owner.id), userId: users.removed.id }, auditAs(users.owner.id));
    await setUserDisabled({ userId: users.disabled.id, disabled: true }, auditAs(null));
    await db.user.update({ where: { id: users.leaver.id }, data: { deletedAt: new Date() } });

    for (const key of [left, removed, disabled]) {
      const result = await verifyApiKey(key.secret, { scopes: ["me:read"] });
      expect(result).toMatchObject({ ok: true, key: { team: { id: team.id, slug: team.slug } } });
    }
    expect(await verifyApiKey(personal.secret)).toMatchObject({ ok: false, reason: "owner_disabled" });
    // /me still answers with the team set, and names the creator for the record.
    const me = await call(meRoute.GET, removed.secret);
    expect(me.status).toBe(200);
    const body = await me.json();
    expect(body).toMatchObject({ team: { id: team.id, slug: team.slug, name: team.name }, createdBy: { id: users.removed.id, email: users.removed.email } });
    // The documented response schema (lib/api/schemas.ts, served as OpenAPI) accepts it as it is.
    expect(MeSchema.strict().parse(body)).toEqual(body);
  });
});

describe("suspending or deleting a team", () => {
  it("refuses its keys on the very next request, cached or not, and lifting the suspension restores them", async () => {
    const { team, users } = await createTestTeam({ owner: "owner" });
    const { secret } = await createTeamKey(team.id, users.owner.id);
    expect((await verifyApiKey(secret)).ok).toBe(true);
    // The snapshot is cached now: the suspension must drop it.
    expect(verificationCache.get(hashApiKey(secret))).toMatchObject({ team: { suspended: false } });

    await suspendTeam({ team: { teamId: team.id }, actor: asMember(users.owner.id), reason: "unpaid invoice" }, auditAs(users.owner.id));
    expect(await verifyApiKey(secret)).toMatchObject({ ok: false, reason: "team_suspended" });
    const me = await call(meRoute.GET, secret);
    expect(me.status).toBe(401);
    expect((await me.json()).error.code).toBe("team_suspended");

    await unsuspendTeam({ team: { teamId: team.id }, actor: asMember(users.owner.id) }, auditAs(users.owner.id));
    expect((await verifyApiKey(secret)).ok).toBe(true);
  });

  it("an owner cannot lift a suspension the site's admins imposed; a site admin can", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", frozen: "owner" });
    const admin = await createTestUser({ role: "ADMIN" });
    await createTeamKey(team.id, users.owner.id);
    // A co-owner an admin disabled is not told: a frozen account hears nothing more of the team.
    await db.user.update({ where: { id: users.frozen.id }, data: { disabledAt: new Date() } });
    await suspendTeam({ team: { slug: team.slug }, actor: { kind: "site_admin", userId: admin.id }, reason: "abuse report" }, auditAs(admin.id));
    expect(await db.notification.count({ where: { userId: users.frozen.id } })).toBe(0);
    await expect(unsuspendTeam({ team: { teamId: team.id }, actor: asMember(users.owner.id) }, auditAs(users.owner.id))).rejects.toMatchObject({ code: "forbidden" });
    const row = await db.team.findUniqueOrThrow({ where: { id: team.id } });
    expect(row.suspendedReason).toBe("abuse report");
    // The owner was told why, on the dashboard and by mail.
    expect(await db.notification.findFirst({ where: { userId: users.owner.id, kind: "team_suspended" }, select: { body: true } })).toMatchObject({ body: expect.stringContaining("abuse report") });
    expect(await db.outboxMessage.count({ where: { to: users.owner.email, kind: "team_suspended" } })).toBe(1);
    // The console reads the team's keys as a site admin; a non-admin claiming to be one reads nothing.
    expect((await listKeysPageForTeam({ teamId: team.id, userId: admin.id, siteAdmin: true })).all).toBe(1);
    await expect(listKeysPageForTeam({ teamId: team.id, userId: (await createTestUser()).id, siteAdmin: true })).rejects.toMatchObject({ code: "not_found" });
    // Claiming to be a site admin is not enough: the account must be one.
    const pretender = await createTestUser();
    await expect(unsuspendTeam({ team: { teamId: team.id }, actor: { kind: "site_admin", userId: pretender.id } }, auditAs(pretender.id))).rejects.toMatchObject({ code: "not_found" });
    await unsuspendTeam({ team: { teamId: team.id }, actor: { kind: "site_admin", userId: admin.id } }, auditAs(admin.id));
    expect((await db.team.findUniqueOrThrow({ where: { id: team.id } })).suspendedAt).toBeNull();
  });

  it("deleting a team revokes every key of it and hides the team; the audit trail keeps it", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", dev: "developer" });
    const a = await createTeamKey(team.id, users.owner.id);
    const b = await createTeamKey(team.id, users.dev.id);
    expect((await verifyApiKey(a.secret)).ok).toBe(true);
    await deleteTeam({ team: { teamId: team.id }, actor: asMember(users.owner.id) }, auditAs(users.owner.id));
    for (const key of [a, b]) expect(await verifyApiKey(key.secret)).toMatchObject({ ok: false, reason: "revoked" });
    await expect(createTeamKey(team.id, users.owner.id)).rejects.toMatchObject({ code: "not_found" });
    const event = await db.auditEvent.findFirstOrThrow({ where: { teamId: team.id, action: "team.deleted" } });
    expect(JSON.parse(event.details)).toMatchObject({ keysRevoked: 2 });
    // Each key's own trail says it was revoked, and why, as any other revoke does.
    const revokes = await db.auditEvent.findMany({ where: { action: "key.revoked", targetKeyId: { in: [a.key.id, b.key.id] } } });
    expect(revokes.map((revoke) => [revoke.targetKeyId, revoke.teamId, revoke.actorId, JSON.parse(revoke.details).reason]).sort()).toEqual(
      [a, b].map((key) => [key.key.id, team.id, users.owner.id, "The team was deleted."]).sort(),
    );
  });
});

describe("team keys and the key policy", () => {
  it("a team has at most MAX_ACTIVE_KEYS_PER_TEAM active keys, and team keys do not count towards a member's own cap", async () => {
    const { team, users } = await createTestTeam({ owner: "owner" });
    const keys = [];
    for (let i = 0; i < 3; i++) keys.push(await createTeamKey(team.id, users.owner.id));
    await expect(createTeamKey(team.id, users.owner.id)).rejects.toMatchObject({ code: "limit_reached" });
    // A roll with a grace needs room too; with no grace it replaces the key at once.
    await expect(rollApiKey({ keyId: keys[0].key.id, team: { teamId: team.id, userId: users.owner.id }, graceMs: 60_000 }, auditAs(users.owner.id))).rejects.toMatchObject({ code: "limit_reached" });
    await rollApiKey({ keyId: keys[0].key.id, team: { teamId: team.id, userId: users.owner.id }, graceMs: 0 }, auditAs(users.owner.id));
    await revokeApiKey({ keyId: keys[1].key.id, team: { teamId: team.id, userId: users.owner.id } }, auditAs(users.owner.id));
    await createTeamKey(team.id, users.owner.id);
    // The same member still has their whole personal allowance.
    await createTestKey(users.owner.id);
  });

  it("a team key cannot hold the admin-only verify scope, even when its creator is a site admin", async () => {
    const { team, users } = await createTestTeam({ owner: "owner" });
    await db.user.update({ where: { id: users.owner.id }, data: { role: "ADMIN" } });
    await expect(createTeamKey(team.id, users.owner.id, { scopes: ["verify"] })).rejects.toMatchObject({ code: "forbidden_scope" });
    // A personal admin key holding verify cannot be moved in either: narrow it first.
    const service = await createTestKey(users.owner.id, { scopes: ["verify"] });
    await expect(moveKeyToTeam({ keyId: service.key.id, userId: users.owner.id, teamId: team.id }, auditAs(users.owner.id))).rejects.toMatchObject({ code: "forbidden_scope" });
  });

  it("a role change holds from the member's next request: a demoted developer's team key can no longer create keys", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", dev: "developer" });
    const { secret } = await createTeamKey(team.id, users.dev.id);
    const create = () => call(keysRoute.POST, secret, "POST", { name: "made by a team key", scopes: ["me:read"] });
    const made = await create();
    expect(made.status).toBe(201);
    const madeKey = (await made.json()).key;
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: madeKey.id }, select: { teamId: true, ownerId: true } })).toEqual({ teamId: team.id, ownerId: users.dev.id });

    await changeMemberRole({ team: { teamId: team.id }, actor: asMember(users.owner.id), userId: users.dev.id, role: "viewer" }, auditAs(users.owner.id));
    const refused = await create();
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("forbidden");
    // It still lists its team's keys (a viewer may see them) and still authenticates.
    expect((await call(keysRoute.GET, secret)).status).toBe(200);
  });

  it("usage and audit events carry the team: key events of a team key are in the team's log", async () => {
    const { team, users } = await createTestTeam({ owner: "owner" });
    const { key } = await createTeamKey(team.id, users.owner.id);
    await revokeApiKey({ keyId: key.id, team: { teamId: team.id, userId: users.owner.id } }, auditAs(users.owner.id));
    const events = await db.auditEvent.findMany({ where: { targetKeyId: key.id }, orderBy: { createdAt: "asc" }, select: { action: true, teamId: true } });
    expect(events).toEqual([
      { action: "key.created", teamId: team.id },
      { action: "key.revoked", teamId: team.id },
    ]);
    // A rolled team key's replacement stays the team's, and the end of the old key's grace is in the team's log too.
    const rolledFrom = await createTeamKey(team.id, users.owner.id);
    const rolled = await rollApiKey({ keyId: rolledFrom.key.id, team: { teamId: team.id, userId: users.owner.id }, graceMs: 1_000 }, auditAs(users.owner.id));
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: rolled.key.id }, select: { teamId: true } })).toEqual({ teamId: team.id });
    await recordGraceEndings(new Date(Date.now() + 5_000));
    const teamEvents = await db.auditEvent.findMany({ where: { teamId: team.id }, select: { action: true } });
    expect(teamEvents.map((event) => event.action)).toEqual(expect.arrayContaining(["team.created", "key.created", "key.revoked", "key.rolled", "key.grace_ended"]));
  });
});

describe("moving a personal key into a team", () => {
  it("keeps the secret, makes the key the team's (audited), and takes it out of the mover's personal keys", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", admin: "admin" });
    const { key, secret } = await createTestKey(users.admin.id, { scopes: ["me:read", "keys:read"] });
    expect((await verifyApiKey(secret)).key?.team).toBeNull();
    await moveKeyToTeam({ keyId: key.id, userId: users.admin.id, teamId: team.id }, auditAs(users.admin.id));

    const verified = await verifyApiKey(secret, { scopes: ["me:read"] });
    expect(verified).toMatchObject({ ok: true, key: { id: key.id, team: { id: team.id } } });
    const event = await db.auditEvent.findFirstOrThrow({ where: { targetKeyId: key.id, action: "key.moved_to_team" } });
    expect(event).toMatchObject({ teamId: team.id, actorId: users.admin.id });
    expect((await listKeysPageForOwner(users.admin.id)).keys.map((row) => row.id)).not.toContain(key.id);
    // Another person's key cannot be moved by someone else, even a team owner: it is not theirs (404).
    const foreign = await createTestKey(users.admin.id);
    await expect(moveKeyToTeam({ keyId: foreign.key.id, userId: users.owner.id, teamId: team.id }, auditAs(users.owner.id))).rejects.toMatchObject({ code: "not_found" });
    // The mover's account no longer matters to the moved key.
    await setUserDisabled({ userId: users.admin.id, disabled: true }, auditAs(null));
    expect((await verifyApiKey(secret)).ok).toBe(true);
    expect(await verifyApiKey(foreign.secret)).toMatchObject({ ok: false, reason: "owner_disabled" });
  });
});

describe("members and owners", () => {
  it("a team always keeps an owner: the last one cannot leave, be demoted or removed; with a second owner they can", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", admin: "admin" });
    const ref = { teamId: team.id };
    await expect(leaveTeam({ team: ref, userId: users.owner.id }, auditAs(users.owner.id))).rejects.toMatchObject({ code: "last_owner" });
    await expect(changeMemberRole({ team: ref, actor: asMember(users.owner.id), userId: users.owner.id, role: "admin" }, auditAs(users.owner.id))).rejects.toMatchObject({ code: "last_owner" });
    await expect(removeTeamMember({ team: ref, actor: OPERATOR, userId: users.owner.id }, auditAs(null))).rejects.toMatchObject({ code: "last_owner" });
    expect(await teamsOnlyOwnedBy(db, users.owner.id)).toEqual([{ id: team.id, slug: team.slug, name: team.name }]);
    await changeMemberRole({ team: ref, actor: asMember(users.owner.id), userId: users.admin.id, role: "owner" }, auditAs(users.owner.id));
    expect(await teamsOnlyOwnedBy(db, users.owner.id)).toEqual([]);
    await leaveTeam({ team: ref, userId: users.owner.id }, auditAs(users.owner.id));
    expect(await db.teamMember.findMany({ where: { teamId: team.id }, select: { userId: true, role: true } })).toEqual([{ userId: users.admin.id, role: "owner" }]);
    const actions = (await db.auditEvent.findMany({ where: { teamId: team.id }, select: { action: true } })).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(["team.member_added", "team.role_changed", "team.member_left"]));
  });
});

describe("two owners demoting each other at the same moment", () => {
  it("leave the team with exactly one owner: one change wins, the other is refused as last owner", async () => {
    const { team, users } = await createTestTeam({ a: "owner", b: "owner" });
    const ref = { teamId: team.id };
    const results = await Promise.allSettled([
      changeMemberRole({ team: ref, actor: asMember(users.a.id), userId: users.b.id, role: "admin" }, auditAs(users.a.id)),
      changeMemberRole({ team: ref, actor: asMember(users.b.id), userId: users.a.id, role: "admin" }, auditAs(users.b.id)),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: expect.stringMatching(/^(last_owner|forbidden)$/) });
    expect(await db.teamMember.count({ where: { teamId: team.id, role: "owner" } })).toBe(1);
  });
});

describe("invitations", () => {
  it("are mailed with a single-use link whose token is stored only hashed, and accepted only by the verified invited address", async () => {
    const { team, users } = await createTestTeam({ owner: "owner" });
    const invitee = await createTestUser();
    const stranger = await createTestUser();
    const now = new Date();
    const { url, inviteId } = await inviteTeamMember({ team: { teamId: team.id }, actor: asMember(users.owner.id), email: invitee.email.toUpperCase(), role: "developer" }, auditAs(users.owner.id), now);
    const token = new URL(url).pathname.replace("/invite/", "");
    expect(token.length).toBeGreaterThanOrEqual(40);

    const mail = await db.outboxMessage.findFirstOrThrow({ where: { to: invitee.email, kind: "team_invite" }, orderBy: { createdAt: "desc" } });
    expect(mail.text).toContain(url);
    const row = await db.teamInvite.findUniqueOrThrow({ where: { id: inviteId } });
    expect(row.email).toBe(invitee.email);
    expect(row.tokenHash).not.toContain(token);
    expect(JSON.stringify(await db.auditEvent.findMany({ where: { teamId: team.id } }))).not.toContain(token);
    expect(await previewInvite(token)).toMatchObject({ teamName: team.name, role: "developer", email: invitee.email, state: "pending" });

    expect((await previewInvite(token, new Date(), stranger.id))?.standing).toBe("wrong_email");
    expect((await previewInvite(token, new Date(), invitee.id))?.standing).toBe("unverified");
    expect((await previewInvite(token, new Date()))?.standing).toBe("signed_out");
    await expect(acceptInvite({ token, userId: stranger.id }, auditAs(stranger.id))).rejects.toMatchObject({ code: "invite_wrong_email" });
    await expect(acceptInvite({ token, userId: invitee.id }, auditAs(invitee.id))).rejects.toMatchObject({ code: "invite_unverified" });
    await db.user.update({ where: { id: invitee.id }, data: { emailVerifiedAt: new Date() } });
    expect((await previewInvite(token, new Date(), invitee.id))?.standing).toBe("can_accept");
    expect(await acceptInvite({ token, userId: invitee.id }, auditAs(invitee.id))).toMatchObject({ team: { id: team.id }, role: "developer" });
    await expect(acceptInvite({ token, userId: invitee.id }, auditAs(invitee.id))).rejects.toMatchObject({ code: "invite_used" });
    expect(await db.teamMember.findUnique({ where: { teamId_userId: { teamId: team.id, userId: invitee.id } } })).toMatchObject({ role: "developer" });
    expect(await db.auditEvent.count({ where: { teamId: team.id, action: { in: ["team.invite_sent", "team.invite_accepted"] } } })).toBe(2);
  });

  it("a revoked, replaced or expired invitation cannot be accepted", async () => {
    const { team, users } = await createTestTeam({ owner: "owner" });
    const invitee = await createTestUser();
    await db.user.update({ where: { id: invitee.id }, data: { emailVerifiedAt: new Date() } });
    const ref = { teamId: team.id };
    const token = (url: string) => new URL(url).pathname.replace("/invite/", "");

    const first = await inviteTeamMember({ team: ref, actor: asMember(users.owner.id), email: invitee.email, role: "viewer" }, auditAs(users.owner.id));
    await revokeInvite({ team: ref, actor: asMember(users.owner.id), inviteId: first.inviteId }, auditAs(users.owner.id));
    await expect(acceptInvite({ token: token(first.url), userId: invitee.id }, auditAs(invitee.id))).rejects.toMatchObject({ code: "invite_revoked" });

    const second = await inviteTeamMember({ team: ref, actor: asMember(users.owner.id), email: invitee.email, role: "viewer" }, auditAs(users.owner.id));
    const third = await inviteTeamMember({ team: ref, actor: asMember(users.owner.id), email: invitee.email, role: "viewer" }, auditAs(users.owner.id));
    await expect(acceptInvite({ token: token(second.url), userId: invitee.id }, auditAs(invitee.id))).rejects.toMatchObject({ code: "invite_revoked" });

    const eightDaysLater = new Date(Date.now() + 8 * 24 * 60 * 60 * 1000);
    await expect(acceptInvite({ token: token(third.url), userId: invitee.id }, auditAs(invitee.id), eightDaysLater)).rejects.toMatchObject({ code: "invite_expired" });
    expect(await previewInvite(token(third.url), eightDaysLater)).toMatchObject({ state: "expired" });
    expect(await previewInvite("not-a-real-token-not-a-real-token")).toBeNull();
  });
});

describe("invitation throttling", () => {
  it("an address gets at most 3 invitation mails an hour, whoever sends them; an outsider's refused attempts use none of it", async () => {
    const { team: first, users } = await createTestTeam({ owner: "owner" });
    const { team: second, users: others } = await createTestTeam({ owner: "owner" });
    const target = `bombed-${Date.now().toString(36)}@example.com`;
    const invite = (teamId: string, userId: string, email = target) => inviteTeamMember({ team: { teamId }, actor: asMember(userId), email, role: "viewer" }, auditAs(userId));

    // Not a member of the first team: refused as not_found, before anything is counted.
    for (let attempt = 0; attempt < 5; attempt++) await expect(invite(first.id, others.owner.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await invite(first.id, users.owner.id)).toMatchObject({ mailed: true });
    expect(await invite(first.id, users.owner.id)).toMatchObject({ mailed: true });
    expect(await invite(second.id, others.owner.id)).toMatchObject({ mailed: true });
    // The fourth is made (its link can be passed on by hand) but not mailed.
    const fourth = await invite(second.id, others.owner.id);
    expect(fourth).toMatchObject({ mailed: false, url: expect.stringContaining("/invite/") });
    expect(await db.outboxMessage.count({ where: { to: target, kind: "team_invite" } })).toBe(3);
    expect(await db.teamInvite.count({ where: { id: fourth.inviteId, revokedAt: null } })).toBe(1);
    // Other addresses are not affected.
    expect(await invite(second.id, others.owner.id, `other-${Date.now().toString(36)}@example.com`)).toMatchObject({ mailed: true });
  });

  it("an inviter makes at most 30 invitations an hour; the 31st is refused next to the email field", async () => {
    const { team, users } = await createTestTeam({ owner: "owner" });
    const stamp = Date.now().toString(36);
    for (let n = 0; n < 30; n++) await inviteTeamMember({ team: { teamId: team.id }, actor: asMember(users.owner.id), email: `many-${n}-${stamp}@example.com`, role: "viewer" }, auditAs(users.owner.id));
    await expect(
      inviteTeamMember({ team: { teamId: team.id }, actor: asMember(users.owner.id), email: `many-30-${stamp}@example.com`, role: "viewer" }, auditAs(users.owner.id)),
    ).rejects.toMatchObject({ code: "throttled", field: "email" });
  });
});

describe("POST /api/v1/verify and team keys", () => {
  it("returns the team of the verified key (null for a personal one), and DISABLED once the team is suspended", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const service = await createApiKey({ ownerId: admin.id, name: "service", environment: "live", scopes: ["verify"] }, auditAs(admin.id));
    const { team, users } = await createTestTeam({ owner: "owner" });
    const teamKey = await createTeamKey(team.id, users.owner.id);
    const personal = await createTestKey(users.owner.id);
    const verify = async (key: string) => (await call(verifyRoute.POST, service.secret, "POST", { key })).json();

    const verdict = await verify(teamKey.secret);
    expect(verdict).toMatchObject({ valid: true, code: "VALID", team: { id: team.id, slug: team.slug, name: team.name } });
    expect(VerifyResultSchema.strict().parse(verdict)).toEqual(verdict);
    expect(await verify(personal.secret)).toMatchObject({ valid: true, team: null });
    await suspendTeam({ team: { teamId: team.id }, actor: OPERATOR, reason: "security review" }, auditAs(null));
    expect(await verify(teamKey.secret)).toMatchObject({ valid: false, code: "DISABLED", team: { id: team.id } });
  });
});
