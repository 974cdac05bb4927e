import { describe, expect, it, vi } from "vitest";

// next/headers stands in for one request (tests/fixtures/next-request.ts) for the server
// actions called below as a browser's POST reaches them; the database is real.
vi.mock("next/headers", () => import("../fixtures/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

// An outsider's attacks on teams (#12), through the lib functions the team pages' server
// actions call (app/(dashboard)/dashboard/teams/actions.ts hands lib the caller as a member).
import { randomUUID } from "node:crypto";
import { createKey, revokeKey } from "@/app/(dashboard)/dashboard/keys/actions";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { createSession } from "@/lib/sessions/create-session";
import { encodeSessionToken, sessionCookieName } from "@/lib/sessions/session-cookie";
import { db } from "@/lib/db";
import { acceptInvite, inviteTeamMember } from "@/lib/teams/invitations";
import { suspendTeam, unsuspendTeam } from "@/lib/teams/manage-teams";
import { addTeamMember, changeMemberRole, leaveTeam, removeTeamMember } from "@/lib/teams/members";
import { asMember } from "@/lib/teams/team-access";
import type { TeamRole } from "@/lib/teams/team-policy";
import { postForm } from "../fixtures/next-request";
import { createTestUser } from "../helpers/factories";
import { auditAs, createTeamKey, createTestTeam } from "../helpers/teams";

/** A signed-up account whose address is verified: one the invitation's link would admit. */
const verifiedAccount = (label: string) => db.user.create({ data: { email: `${label}-${randomUUID()}@team-attacks.test`, emailVerifiedAt: new Date() } });

/** An invitation sent by `inviterId` (as the team page's action sends it); its link's token. */
async function invite(teamId: string, inviterId: string, email: string, role: TeamRole) {
  const { url } = await inviteTeamMember({ team: { teamId }, actor: asMember(inviterId), email, role }, auditAs(inviterId));
  return new URL(url).pathname.split("/").pop()!;
}

const roleIn = async (teamId: string, userId: string) => (await db.teamMember.findUnique({ where: { teamId_userId: { teamId, userId } }, select: { role: true } }))?.role ?? null;

describe("a member who loses their place cannot come back through an invitation they sent", () => {
  it("an admin removed from the team: the invitation they sent to an address of their own no longer admits anyone", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", admin: "admin" });
    // Before being removed, the admin invites a second account of theirs as an admin.
    const alt = await verifiedAccount("alt");
    const token = await invite(team.id, users.admin.id, alt.email, "admin");
    await removeTeamMember({ team: { teamId: team.id }, actor: asMember(users.owner.id), userId: users.admin.id }, auditAs(users.owner.id));

    await expect(acceptInvite({ token, userId: alt.id }, auditAs(alt.id))).rejects.toMatchObject({ code: "invite_revoked" });
    expect(await roleIn(team.id, alt.id)).toBeNull();
    expect(await db.auditEvent.count({ where: { teamId: team.id, action: "team.invite_revoked" } })).toBe(1);
  });

  it("a member who leaves: their pending invitations are withdrawn with them", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", admin: "admin" });
    const alt = await verifiedAccount("alt-leave");
    const token = await invite(team.id, users.admin.id, alt.email, "developer");
    await leaveTeam({ team: { teamId: team.id }, userId: users.admin.id }, auditAs(users.admin.id));
    await expect(acceptInvite({ token, userId: alt.id }, auditAs(alt.id))).rejects.toMatchObject({ code: "invite_revoked" });
  });

  it("a demotion withdraws the invitations the new role could not send; the others stay", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", second: "owner", admin: "admin" });
    // An owner demoted to admin may no longer invite owners, but may still invite developers.
    const ownerAlt = await verifiedAccount("owner-alt");
    const devInvitee = await verifiedAccount("dev-invitee");
    const ownerInvite = await invite(team.id, users.second.id, ownerAlt.email, "owner");
    const devInvite = await invite(team.id, users.second.id, devInvitee.email, "developer");
    await changeMemberRole({ team: { teamId: team.id }, actor: asMember(users.owner.id), userId: users.second.id, role: "admin" }, auditAs(users.owner.id));
    await expect(acceptInvite({ token: ownerInvite, userId: ownerAlt.id }, auditAs(ownerAlt.id))).rejects.toMatchObject({ code: "invite_revoked" });
    await acceptInvite({ token: devInvite, userId: devInvitee.id }, auditAs(devInvitee.id));
    expect(await roleIn(team.id, devInvitee.id)).toBe("developer");

    // An admin demoted to developer may invite nobody: everything they sent is withdrawn.
    const alt = await verifiedAccount("admin-alt");
    const adminInvite = await invite(team.id, users.admin.id, alt.email, "admin");
    await changeMemberRole({ team: { teamId: team.id }, actor: asMember(users.owner.id), userId: users.admin.id, role: "developer" }, auditAs(users.owner.id));
    await expect(acceptInvite({ token: adminInvite, userId: alt.id }, auditAs(alt.id))).rejects.toMatchObject({ code: "invite_revoked" });
    expect(await roleIn(team.id, alt.id)).toBeNull();
  });
});

/** A browser signed in as `userId`: the cookie jar a POST to a server action carries. */
async function jarOf(userId: string) {
  const sessionId = await createSession({ userId, method: "credentials", deviceId: null });
  return new Map([[sessionCookieName(), await encodeSessionToken(userId, sessionId)]]);
}

describe("forged team fields posted straight to the key actions", () => {
  it("a viewer, a developer on another's key, a member of another team and a removed member revoke nothing; a viewer creates nothing", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", dev: "developer", viewer: "viewer", leaver: "admin" });
    const other = await createTestTeam({ outsider: "owner" });
    const ownersKey = await createTeamKey(team.id, users.owner.id);
    const revoke = async (userId: string, teamSlug: string) =>
      (await postForm(revokeKey, { ok: false }, { keyId: ownersKey.key.id, team: teamSlug }, await jarOf(userId))).state;

    expect(await revoke(users.viewer.id, team.slug)).toMatchObject({ ok: false });
    expect(await revoke(users.dev.id, team.slug)).toMatchObject({ ok: false, message: expect.stringMatching(/only the keys they created/) });
    // The outsider names their own team (where they are owner) with this team's key id, then this team, then no team.
    expect(await revoke(other.users.outsider.id, other.team.slug)).toEqual({ ok: false, message: "That key does not exist." });
    expect(await revoke(other.users.outsider.id, team.slug)).toEqual({ ok: false, message: "That key does not exist." });
    expect(await revoke(other.users.outsider.id, "")).toEqual({ ok: false, message: "That key does not exist." });
    // An admin removed from the team, still signed in, posting the form they had open.
    const leaverJar = await jarOf(users.leaver.id);
    await removeTeamMember({ team: { teamId: team.id }, actor: asMember(users.owner.id), userId: users.leaver.id }, auditAs(users.owner.id));
    expect((await postForm(revokeKey, { ok: false }, { keyId: ownersKey.key.id, team: team.slug }, leaverJar)).state).toEqual({ ok: false, message: "That key does not exist." });
    expect((await verifyApiKey(ownersKey.secret)).ok).toBe(true);

    const viewerCreate = await postForm(createKey, { ok: false }, { name: "sneaky", environment: "live", scopes: "me:read", expiry: "never", team: team.slug }, await jarOf(users.viewer.id));
    expect(viewerCreate.state).toEqual({ ok: false, message: "A viewer cannot create keys." });
    expect(await db.apiKey.count({ where: { teamId: team.id, name: "sneaky" } })).toBe(0);
  });
});

describe("a suspension the site's admins imposed", () => {
  it("stays when the admin who imposed it from the console is also an owner of the team: a co-owner cannot lift it", async () => {
    const { team, users } = await createTestTeam({ owner: "owner" });
    const admin = await createTestUser({ role: "ADMIN" });
    await addTeamMember({ team: { teamId: team.id }, actor: { kind: "operator" }, email: admin.email, role: "owner" }, auditAs(null));
    const { secret } = await createTeamKey(team.id, users.owner.id);
    // From the admin console: the admin acts as a site admin, whatever their role in the team.
    await suspendTeam({ team: { teamId: team.id }, actor: { kind: "site_admin", userId: admin.id }, reason: "abuse report" }, auditAs(admin.id));
    await expect(unsuspendTeam({ team: { teamId: team.id }, actor: asMember(users.owner.id) }, auditAs(users.owner.id))).rejects.toMatchObject({ code: "forbidden" });
    expect((await verifyApiKey(secret)).ok).toBe(false);
    await unsuspendTeam({ team: { teamId: team.id }, actor: { kind: "site_admin", userId: admin.id } }, auditAs(admin.id));
    expect((await verifyApiKey(secret)).ok).toBe(true);

    // A suspension an owner made from the team's page is still the team's to lift.
    await suspendTeam({ team: { teamId: team.id }, actor: asMember(users.owner.id), reason: "leaked key, rotating" }, auditAs(users.owner.id));
    await unsuspendTeam({ team: { teamId: team.id }, actor: asMember(users.owner.id) }, auditAs(users.owner.id));
  });
});
