import { describe, expect, it } from "vitest";

// Invitations a member sent while they could, used after an admin stopped that member
// (lib/teams/invitations.ts, through the functions the invitation page and team page call).
import { randomUUID } from "node:crypto";
import { setUserDisabled } from "@/lib/admin/manage-users";
import { db } from "@/lib/db";
import { acceptInvite, inviteTeamMember, previewInvite } from "@/lib/teams/invitations";
import { suspendTeam, unsuspendTeam } from "@/lib/teams/manage-teams";
import { asMember } from "@/lib/teams/team-access";
import { createTestUser } from "../helpers/factories";
import { auditAs, createTestTeam } from "../helpers/teams";

const verifiedAccount = (label: string) => db.user.create({ data: { email: `${label}-${randomUUID()}@invitation-attacks.test`, emailVerifiedAt: new Date() } });
const tokenOf = (url: string) => new URL(url).pathname.split("/").pop()!;
const roleIn = async (teamId: string, userId: string) => (await db.teamMember.findUnique({ where: { teamId_userId: { teamId, userId } }, select: { role: true } }))?.role ?? null;

describe("an invitation sent by an account an admin then disabled", () => {
  it("admits nobody while its sender is disabled (the page says it was withdrawn), and works again once they are enabled", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", rogue: "admin" });
    // The team's admin, before the site's admins disable the account, invites a second account of theirs as an admin.
    const alt = await verifiedAccount("alt");
    const { url } = await inviteTeamMember({ team: { teamId: team.id }, actor: asMember(users.rogue.id), email: alt.email, role: "admin" }, auditAs(users.rogue.id));
    const siteAdmin = await createTestUser({ role: "ADMIN" });
    await setUserDisabled({ userId: users.rogue.id, disabled: true }, auditAs(siteAdmin.id));

    expect(await previewInvite(tokenOf(url), new Date(), alt.id)).toMatchObject({ state: "revoked" });
    await expect(acceptInvite({ token: tokenOf(url), userId: alt.id }, auditAs(alt.id))).rejects.toMatchObject({ code: "invite_revoked" });
    expect(await roleIn(team.id, alt.id)).toBeNull();

    // Enabled again, the admin's invitation is theirs to send once more.
    await setUserDisabled({ userId: users.rogue.id, disabled: false }, auditAs(siteAdmin.id));
    await acceptInvite({ token: tokenOf(url), userId: alt.id }, auditAs(alt.id));
    expect(await roleIn(team.id, alt.id)).toBe("admin");
  });
});

describe("a team the site's admins suspended", () => {
  it("sends no invitation while suspended: its admins cannot keep mailing addresses from it", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", admin: "admin" });
    const siteAdmin = await createTestUser({ role: "ADMIN" });
    await suspendTeam({ team: { teamId: team.id }, actor: { kind: "site_admin", userId: siteAdmin.id }, reason: "invitations used to spam" }, auditAs(siteAdmin.id));
    const target = `spammed-${randomUUID()}@invitation-attacks.test`;
    for (const inviter of [users.owner.id, users.admin.id]) {
      await expect(inviteTeamMember({ team: { teamId: team.id }, actor: asMember(inviter), email: target, role: "viewer" }, auditAs(inviter))).rejects.toMatchObject({ code: "invalid_state" });
    }
    expect(await db.outboxMessage.count({ where: { to: target } })).toBe(0);
  });

  it("takes no new members through invitations sent before it was suspended (the page says so); lifting the suspension lets them in", async () => {
    const { team, users } = await createTestTeam({ owner: "owner" });
    const invitee = await verifiedAccount("pending");
    const { url } = await inviteTeamMember({ team: { teamId: team.id }, actor: asMember(users.owner.id), email: invitee.email, role: "developer" }, auditAs(users.owner.id));
    const siteAdmin = await createTestUser({ role: "ADMIN" });
    await suspendTeam({ team: { teamId: team.id }, actor: { kind: "site_admin", userId: siteAdmin.id }, reason: "under review" }, auditAs(siteAdmin.id));

    expect(await previewInvite(tokenOf(url), new Date(), invitee.id)).toMatchObject({ state: "team_suspended" });
    await expect(acceptInvite({ token: tokenOf(url), userId: invitee.id }, auditAs(invitee.id))).rejects.toMatchObject({ code: "invalid_state", message: expect.stringMatching(/suspended/) });
    expect(await roleIn(team.id, invitee.id)).toBeNull();

    await unsuspendTeam({ team: { teamId: team.id }, actor: { kind: "site_admin", userId: siteAdmin.id } }, auditAs(siteAdmin.id));
    await acceptInvite({ token: tokenOf(url), userId: invitee.id }, auditAs(invitee.id));
    expect(await roleIn(team.id, invitee.id)).toBe("developer");
  });
});
