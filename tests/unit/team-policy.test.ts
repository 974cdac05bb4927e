import { describe, expect, it } from "vitest";
import { assertMayChange, assertMayGrant, holderFields, keyHolderRole, keyState } from "@/lib/api-keys/key-policy";
import { mayAssignRole, mayManageTeamKey, TEAM_ROLES, teamPermissions, teamRoleAllows, teamSlugSchema, suspendReasonSchema } from "@/lib/teams/team-policy";

describe("the team policy", () => {
  it("each role holds every right of the role below it: viewer ⊂ developer ⊂ admin ⊂ owner", () => {
    const rights = (role: (typeof TEAM_ROLES)[number]) => Object.entries(teamPermissions(role)).filter(([, allowed]) => allowed).map(([name]) => name);
    expect(rights("viewer")).toEqual(["viewKeys", "viewAudit"]);
    expect(rights("developer")).toEqual(["viewKeys", "createKeys", "manageOwnKeys", "viewAudit"]);
    expect(rights("admin")).toEqual(["viewKeys", "createKeys", "manageOwnKeys", "manageAllKeys", "moveKeysIn", "manageMembers", "manageInvites", "viewAudit", "exportAudit", "rename"]);
    expect(rights("owner")).toEqual(Object.keys(teamPermissions("owner")));
    expect(teamRoleAllows("viewer", "usage.view")).toBe(true);
    expect(teamRoleAllows("admin", "team.delete")).toBe(false);
    expect(teamRoleAllows("admin", "team.suspend")).toBe(false);
  });

  it("a developer manages only the keys they created; admins and owners every key; viewers none", () => {
    const key = { creatorId: "u1" };
    expect(mayManageTeamKey("developer", key, "u1")).toBe(true);
    expect(mayManageTeamKey("developer", key, "u2")).toBe(false);
    expect(mayManageTeamKey("viewer", key, "u1")).toBe(false);
    expect(mayManageTeamKey("admin", key, "u2")).toBe(true);
    expect(mayManageTeamKey("owner", key, "u2")).toBe(true);
  });

  it("only owners give or take the owner role; admins manage every other role", () => {
    expect(mayAssignRole("owner", "owner")).toBe(true);
    expect(mayAssignRole("admin", "owner")).toBe(false);
    expect(mayAssignRole("admin", "admin")).toBe(true);
    expect(mayAssignRole("admin", "viewer")).toBe(true);
    expect(mayAssignRole("developer", "viewer")).toBe(false);
  });

  it("slugs are 3 to 40 lower-case letters, digits and single inner dashes, not reserved; reasons are trimmed and bounded", () => {
    expect(teamSlugSchema.parse(" Acme-Eu ")).toBe("acme-eu");
    for (const bad of ["ab", "-acme", "acme-", "ac--me", "ac me", "new", "a".repeat(41), "acmé"]) expect(teamSlugSchema.safeParse(bad).success, bad).toBe(false);
    expect(suspendReasonSchema.parse("  unpaid\u0000invoice ")).toBe("unpaid invoice");
    expect(suspendReasonSchema.safeParse("no").success).toBe(false);
    expect(suspendReasonSchema.safeParse("x".repeat(501)).success).toBe(false);
  });
});

describe("the key policy for team keys", () => {
  const open = { revokedAt: null, expiresAt: null, graceEndsAt: null };

  it("a team key's state depends on its team, never on its creator's account; a personal key's on its owner", () => {
    expect(keyState({ ...open, ...holderFields({ team: { suspended: false }, ownerDisabled: true }) })).toBe("active");
    expect(keyState({ ...open, ...holderFields({ team: { suspended: true }, ownerDisabled: false }) })).toBe("team_suspended");
    expect(keyState({ ...open, ...holderFields({ team: null, ownerDisabled: true }) })).toBe("owner_disabled");
    // Revoked and expired win over the holder, as for personal keys.
    expect(keyState({ ...open, revokedAt: 1, ...holderFields({ team: { suspended: true }, ownerDisabled: false }) })).toBe("revoked");
  });

  it("a team key never holds admin-only scopes, whoever grants them", () => {
    expect(keyHolderRole({ team: { id: "t" }, owner: { role: "ADMIN" } })).toBe("USER");
    expect(keyHolderRole({ team: null, owner: { role: "ADMIN" } })).toBe("ADMIN");
    const access = { scopes: ["verify"], expiresAt: null, ipAllowlist: [] };
    expect(() => assertMayGrant({ ownerRole: "ADMIN", teamKey: true }, access)).toThrow(/A team key cannot hold: verify/);
    expect(() => assertMayGrant({ ownerRole: "ADMIN" }, access)).not.toThrow();
    expect(() => assertMayChange({ ownerRole: "ADMIN", teamKey: true }, { scopes: [], expiresAt: null, ipAllowlist: [] }, { scopes: ["verify"] })).toThrow(/team key/);
  });
});
