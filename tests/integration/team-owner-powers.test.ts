import { describe, expect, it } from "vitest";

// Owners' powers that an admin of the team, or the team's owners against the site's admins,
// could reach sideways (lib/teams, through the functions the team pages, the console and the
// CLI call).
import { randomUUID } from "node:crypto";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { db } from "@/lib/db";
import { acceptInvite, inviteTeamMember, revokeInvite } from "@/lib/teams/invitations";
import { suspendTeam, unsuspendTeam } from "@/lib/teams/manage-teams";
import { asMember } from "@/lib/teams/team-access";
import { createTestUser } from "../helpers/factories";
import { auditAs, createTeamKey, createTestTeam } from "../helpers/teams";

const verifiedAccount = (label: string) => db.user.create({ data: { email: `${label}-${randomUUID()}@team-owner-powers.test`, emailVerifiedAt: new Date() } });
const tokenOf = (url: string) => new URL(url).pathname.split("/").pop()!;
const roleIn = async (teamId: string, userId: string) => (await db.teamMember.findUnique({ where: { teamId_userId: { teamId, userId } }, select: { role: true } }))?.role ?? null;

describe("an owner invitation", () => {
  it("cannot be withdrawn by an admin inviting the same address again: the owner's link keeps working", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", admin: "admin" });
    const invitee = await verifiedAccount("future-owner");
    const { url, inviteId } = await inviteTeamMember({ team: { teamId: team.id }, actor: asMember(users.owner.id), email: invitee.email, role: "owner" }, auditAs(users.owner.id));
    // The admin may not revoke it outright...
    await expect(revokeInvite({ team: { teamId: team.id }, actor: asMember(users.admin.id), inviteId }, auditAs(users.admin.id))).rejects.toMatchObject({ code: "forbidden" });
    // ...nor by sending a viewer invitation to the same address, which replaces a pending one.
    await expect(
      inviteTeamMember({ team: { teamId: team.id }, actor: asMember(users.admin.id), email: invitee.email, role: "viewer" }, auditAs(users.admin.id)),
    ).rejects.toMatchObject({ code: "forbidden" });
    await acceptInvite({ token: tokenOf(url), userId: invitee.id }, auditAs(invitee.id));
    expect(await roleIn(team.id, invitee.id)).toBe("owner");
  });
});

describe("a suspension an owner made", () => {
  it("becomes the site's when a site admin (or the operator) suspends the team too: its owners can no longer lift it", async () => {
    const { team, users } = await createTestTeam({ owner: "owner" });
    const siteAdmin = await createTestUser({ role: "ADMIN" });
    const { secret } = await createTeamKey(team.id, users.owner.id);
    // The owner gets in first (seeing the abuse report coming), with a reason of their own.
    await suspendTeam({ team: { teamId: team.id }, actor: asMember(users.owner.id), reason: "maintenance" }, auditAs(users.owner.id));
    await suspendTeam({ team: { teamId: team.id }, actor: { kind: "site_admin", userId: siteAdmin.id }, reason: "abuse report" }, auditAs(siteAdmin.id));
    expect(await db.team.findUniqueOrThrow({ where: { id: team.id }, select: { suspendedReason: true, suspendedById: true } })).toEqual({ suspendedReason: "abuse report", suspendedById: null });
    await expect(unsuspendTeam({ team: { teamId: team.id }, actor: asMember(users.owner.id) }, auditAs(users.owner.id))).rejects.toMatchObject({ code: "forbidden" });
    expect((await verifyApiKey(secret)).ok).toBe(false);

    // The operator's CLI likewise; and a suspension already the site's is not taken again.
    const other = await createTestTeam({ owner: "owner" });
    await suspendTeam({ team: { teamId: other.team.id }, actor: asMember(other.users.owner.id), reason: "maintenance" }, auditAs(other.users.owner.id));
    await suspendTeam({ team: { teamId: other.team.id }, actor: { kind: "operator" }, reason: "abuse report" }, auditAs(null));
    await expect(unsuspendTeam({ team: { teamId: other.team.id }, actor: asMember(other.users.owner.id) }, auditAs(other.users.owner.id))).rejects.toMatchObject({ code: "forbidden" });
    await expect(suspendTeam({ team: { teamId: other.team.id }, actor: { kind: "operator" }, reason: "again" }, auditAs(null))).rejects.toMatchObject({ code: "invalid_state" });
    // An owner cannot re-suspend (and so own) a suspension the site imposed.
    await expect(suspendTeam({ team: { teamId: team.id }, actor: asMember(users.owner.id), reason: "mine now" }, auditAs(users.owner.id))).rejects.toMatchObject({ code: "invalid_state" });
  });
});
