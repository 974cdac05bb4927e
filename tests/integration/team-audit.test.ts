import { describe, expect, it } from "vitest";
import { auditEventsToCsv } from "@/lib/admin/audit-csv";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { TeamError } from "@/lib/teams/errors";
import { removeTeamMember } from "@/lib/teams/members";
import { asMember } from "@/lib/teams/team-access";
import { exportTeamAuditEvents, listTeamAuditEvents } from "@/lib/teams/team-audit";
import { teamKeyCreators } from "@/lib/teams/team-key-creators";
import { createTestKey, createTestUser } from "../helpers/factories";
import { auditAs, createTeamKey, createTestTeam } from "../helpers/teams";

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(TeamError);
  return (error as TeamError).code;
}

describe("a team's audit log (the dashboard's team audit page and CSV export)", () => {
  it("holds the team's own and its keys' events, never another team's or a personal key's, whatever the filters say", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", dev: "developer" });
    const other = await createTestTeam({ boss: "owner" });
    const { key } = await createTeamKey(team.id, users.dev.id, { name: "shared" });
    await createTeamKey(other.team.id, other.users.boss.id, { name: "elsewhere" });
    const personal = await createTestKey(users.owner.id, { name: "mine" });
    await revokeApiKey({ keyId: personal.key.id, ownerId: users.owner.id }, auditAs(users.owner.id));
    await removeTeamMember({ team: { teamId: team.id }, actor: asMember(users.owner.id), userId: users.dev.id }, auditAs(users.owner.id));

    const page = await listTeamAuditEvents({ team: { slug: team.slug }, actor: asMember(users.owner.id) }, {});
    const actions = page.items.map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(["team.created", "team.member_added", "key.created", "team.member_removed"]));
    expect(page.items.some((event) => event.targetKeyId === key.id)).toBe(true);
    expect(page.items.some((event) => event.targetKeyId === personal.key.id)).toBe(false);
    expect(page.items.some((event) => event.details.name === "elsewhere")).toBe(false);

    // A filter narrows within the team; it cannot widen to another team's key.
    const removed = await listTeamAuditEvents({ team: { slug: team.slug }, actor: asMember(users.owner.id) }, { action: "team.member_removed" });
    expect(removed.items.map((event) => event.targetUserEmail)).toEqual([users.dev.email]);
    const otherKeyEvents = await listTeamAuditEvents({ team: { slug: team.slug }, actor: asMember(users.owner.id) }, { targetKeyId: personal.key.id });
    expect(otherKeyEvents.items).toEqual([]);
  });

  it("a viewer reads it but only owners and admins export it; a non-member and a removed member get not_found", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", admin: "admin", viewer: "viewer", gone: "developer" });
    const outsider = await createTestUser();
    await removeTeamMember({ team: { teamId: team.id }, actor: asMember(users.owner.id), userId: users.gone.id }, auditAs(users.owner.id));
    const ref = { slug: team.slug };

    expect((await listTeamAuditEvents({ team: ref, actor: asMember(users.viewer.id) }, {})).items.length).toBeGreaterThan(0);
    expect(await refusal(exportTeamAuditEvents({ team: ref, actor: asMember(users.viewer.id) }, {}))).toBe("forbidden");
    for (const who of [outsider.id, users.gone.id]) {
      expect(await refusal(listTeamAuditEvents({ team: ref, actor: asMember(who) }, {}))).toBe("not_found");
      expect(await refusal(exportTeamAuditEvents({ team: ref, actor: asMember(who) }, {}))).toBe("not_found");
    }
    for (const who of [users.owner.id, users.admin.id]) {
      const { rows } = await exportTeamAuditEvents({ team: ref, actor: asMember(who) }, { action: "team.member_removed" });
      expect(auditEventsToCsv(rows)).toContain(users.gone.email);
    }
  });
});

describe("teamKeyCreators", () => {
  it("names each key's creator, also one who has left the team", async () => {
    const { team, users } = await createTestTeam({ owner: "owner", dev: "developer" });
    const byOwner = await createTeamKey(team.id, users.owner.id);
    const byDev = await createTeamKey(team.id, users.dev.id);
    await removeTeamMember({ team: { teamId: team.id }, actor: asMember(users.owner.id), userId: users.dev.id }, auditAs(users.owner.id));
    const names = await teamKeyCreators([byOwner.key, byDev.key]);
    expect(names.get(byOwner.key.id)).toBe(users.owner.email);
    expect(names.get(byDev.key.id)).toBe(users.dev.email);
    expect((await teamKeyCreators([])).size).toBe(0);
  });
});
