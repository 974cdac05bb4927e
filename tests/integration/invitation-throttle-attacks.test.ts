import { describe, expect, it, vi } from "vitest";

// next/headers stands in for one request (tests/fixtures/next-request.ts) for the team page's
// server action, called as a browser's POST reaches it; the database and limiters are real.
vi.mock("next/headers", () => import("../fixtures/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
// The reset mail's lookup runs after the response; only the throttle in front of it is attacked here.
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), after: () => undefined }));

// An outsider who makes a team of their own and uses its invitation form to flood someone's
// inbox (lib/teams/invitations.ts, lib/rate-limit/account-mail-throttle.ts).
import { randomUUID } from "node:crypto";
import { forgotPasswordAction, type ForgotPasswordState } from "@/app/(auth)/forgot-password/actions";
import { inviteMemberAction, type TeamActionState } from "@/app/(dashboard)/dashboard/teams/actions";
import { db } from "@/lib/db";
import { createSession } from "@/lib/sessions/create-session";
import { encodeSessionToken, sessionCookieName } from "@/lib/sessions/session-cookie";
import { postForm } from "../fixtures/next-request";
import { acceptInvite } from "@/lib/teams/invitations";
import { createTestTeam } from "../helpers/teams";

async function jarOf(userId: string) {
  const sessionId = await createSession({ userId, method: "credentials", deviceId: null });
  return new Map([[sessionCookieName(), await encodeSessionToken(userId, sessionId)]]);
}

/** A team of the attacker's own, and a function posting its invitation form as they would. */
async function attackerTeam() {
  const { team, users } = await createTestTeam({ owner: "owner" });
  const jar = await jarOf(users.owner.id);
  return (email: string, role = "viewer") => postForm<TeamActionState>(inviteMemberAction, { ok: false }, { team: team.slug, email, role }, jar).then((posted) => posted.state!);
}

const mailsTo = (domain: string) => db.outboxMessage.count({ where: { kind: "team_invite", to: { endsWith: `@${domain}` } } });

describe("the invitation throttle, attacked through the team page's form", () => {
  it("case and whitespace variants of one address share its 3 mails an hour", async () => {
    const domain = `case-${randomUUID().slice(0, 8)}.test`;
    const post = await attackerTeam();
    for (const variant of [`bob@${domain}`, ` Bob@${domain.toUpperCase()} `, `BOB@${domain}\t`]) expect(await post(variant)).toMatchObject({ ok: true, message: expect.stringMatching(/^Invitation sent/) });
    expect(await post(`\uFEFFbOb@${domain}`)).toMatchObject({ ok: true, message: expect.stringMatching(/but not mailed/) });
    expect(await mailsTo(domain)).toBe(3);
  });

  it("sub-addresses (bob+1@, bob+2@ …) reach one inbox and share its 3 mails an hour", async () => {
    const domain = `plus-${randomUUID().slice(0, 8)}.test`;
    const post = await attackerTeam();
    const answers = [];
    for (let n = 0; n < 10; n++) answers.push(await post(`bob+${n}@${domain}`));
    expect(answers.filter((answer) => answer.message?.startsWith("Invitation sent"))).toHaveLength(3);
    expect(await mailsTo(domain)).toBe(3);
    // The mailbox without a tag is the same one: no mail left for it either.
    expect(await post(`bob@${domain}`)).toMatchObject({ ok: true, message: expect.stringMatching(/but not mailed/) });
  });

  it("a stranger who uses up an address's mails does not stop its own team from inviting it: the invitation is made, its link shown, and it admits the invitee", async () => {
    const domain = `dos-${randomUUID().slice(0, 8)}.test`;
    const victimEmail = `victim@${domain}`;
    const stranger = await attackerTeam();
    for (let n = 0; n < 3; n++) await stranger(victimEmail);
    const { team, users } = await createTestTeam({ owner: "owner" });
    const employer = await postForm<TeamActionState>(inviteMemberAction, { ok: false }, { team: team.slug, email: victimEmail, role: "developer" }, await jarOf(users.owner.id));
    expect(employer.state).toMatchObject({ ok: true, message: expect.stringMatching(/but not mailed/), inviteUrl: expect.stringContaining("/invite/") });
    const victim = await db.user.create({ data: { email: victimEmail, emailVerifiedAt: new Date() } });
    const token = new URL(employer.state!.inviteUrl!).pathname.split("/").at(-1)!;
    await acceptInvite({ token, userId: victim.id }, { actorId: victim.id, ip: "192.0.2.60", userAgent: "vitest" });
    expect(await db.teamMember.findUnique({ where: { teamId_userId: { teamId: team.id, userId: victim.id } } })).toMatchObject({ role: "developer" });
  });

  it("ten invitations to one address posted at once from two teams send at most 3 mails", async () => {
    const domain = `burst-${randomUUID().slice(0, 8)}.test`;
    const [first, second] = [await attackerTeam(), await attackerTeam()];
    const answers = await Promise.all(Array.from({ length: 10 }, (_, n) => (n % 2 ? first : second)(`bob@${domain}`)));
    expect(answers.filter((answer) => answer.message?.startsWith("Invitation sent")).length).toBeLessThanOrEqual(3);
    expect(await mailsTo(domain)).toBeLessThanOrEqual(3);
  });

  it("forged fields: a role outside the list, an owner invitation from an admin, a file as the email, send nothing", async () => {
    const domain = `forged-${randomUUID().slice(0, 8)}.test`;
    const { team, users } = await createTestTeam({ owner: "owner", admin: "admin", viewer: "viewer" });
    const adminJar = await jarOf(users.admin.id);
    const viewerJar = await jarOf(users.viewer.id);
    const post = (fields: Record<string, string>, jar: Map<string, string>) => postForm<TeamActionState>(inviteMemberAction, { ok: false }, { team: team.slug, ...fields }, jar).then((p) => p.state!);
    expect(await post({ email: `a@${domain}`, role: "superuser" }, adminJar)).toMatchObject({ ok: false, errors: { role: expect.any(Array) } });
    expect(await post({ email: `a@${domain}`, role: "owner" }, adminJar)).toMatchObject({ ok: false, errors: { role: expect.any(Array) } });
    expect(await post({ email: `a@${domain}`, role: "viewer" }, viewerJar)).toMatchObject({ ok: false });
    const withFile = new FormData();
    withFile.append("team", team.slug);
    withFile.append("role", "viewer");
    withFile.append("email", new Blob([`a@${domain}`]), "email.txt");
    const { request } = await import("../fixtures/next-request");
    request.cookies = new Map(adminJar);
    expect(await inviteMemberAction({ ok: false }, withFile)).toMatchObject({ ok: false, errors: { email: expect.any(Array) } });
    expect(await mailsTo(domain)).toBe(0);
  });

  it("the forgot-password form counts sub-addresses as one inbox too, from any number of IPs", async () => {
    const domain = `reset-${randomUUID().slice(0, 8)}.test`;
    const post = (email: string, n: number) => postForm<ForgotPasswordState>(forgotPasswordAction, { email: "" }, { email }, new Map(), `198.51.100.${n}`).then((posted) => posted.state!);
    const answers = [];
    for (let n = 0; n < 6; n++) answers.push(await post(`bob+${n}@${domain}`, n + 1));
    expect(answers.filter((answer) => answer.sent)).toHaveLength(3);
    expect(answers.at(-1)).toMatchObject({ errors: { email: [expect.stringMatching(/^Too many requests/)] } });
  });
});
