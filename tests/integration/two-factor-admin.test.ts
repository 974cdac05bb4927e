import { beforeEach, describe, expect, it, vi } from "vitest";

// The operator requires two-factor for admins. Set before lib/env is read.
vi.hoisted(() => {
  process.env.REQUIRE_2FA_FOR_ADMINS = "1";
});

// next/headers stands in for the browser's cookie jar (tests/fixtures/next-request.ts); the database is real.
vi.mock("next/headers", () => import("../fixtures/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { generate } from "otplib";
import * as adminActions from "@/app/(admin)/admin/actions";
import { GET as exportAudit } from "@/app/(admin)/admin/audit/export/route";
import { listUsers } from "@/lib/admin/list-users";
import { requireAdmin } from "@/lib/auth";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { createSession } from "@/lib/sessions/create-session";
import { encodeSessionToken, sessionCookieName } from "@/lib/sessions/session-cookie";
import { beginEnrollment, confirmEnrollment, twoFactorStatus } from "@/lib/two-factor/manage-two-factor";
import { startCli } from "../fixtures/cli";
import { form, redirectOf, request } from "../fixtures/next-request";
import { createTestUser } from "../helpers/factories";

const context = { actorId: null, ip: "192.0.2.8", userAgent: "vitest" };

/** Turns two-factor on from the browser with session `sessionId` (every other session of the user ends). */
async function enroll(user: { id: string; email: string }, sessionId?: string) {
  const at = new Date(Date.now() - 10 * 30_000);
  const enrollment = await beginEnrollment(user, at);
  const result = await confirmEnrollment(user.id, { enrollmentToken: enrollment.enrollmentToken, code: await generate({ secret: enrollment.secret, epoch: Math.floor(at.getTime() / 1000) }), sessionId }, context, at);
  if (!result.ok) throw new Error(result.code);
}

/** Puts a signed-in session for this user in the cookie jar, as a browser holds one. */
async function signInAs(userId: string) {
  const sessionId = await createSession({ userId, method: "credentials" });
  request.cookies = new Map([[sessionCookieName(), await encodeSessionToken(userId, sessionId)]]);
  return sessionId;
}

type AdminAction = (state: adminActions.AdminActionState, data: FormData) => Promise<adminActions.AdminActionState>;

beforeEach(() => {
  request.cookies = new Map();
});

describe("REQUIRE_2FA_FOR_ADMINS", () => {
  it("is on for this file", () => {
    expect(env.REQUIRE_2FA_FOR_ADMINS).toBe(true);
  });

  it("an admin without two-factor is sent to enroll by the console's pages, and every admin action and route refuses them", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const target = await createTestUser();
    const key = await db.apiKey.count();
    const adminSession = await signInAs(admin.id);

    expect(await redirectOf(requireAdmin())).toBe("/account/two-factor?required=admin");

    // Called directly, as anyone holding the cookie could: each server action of the console answers "not found" and changes nothing.
    const actions = Object.entries(adminActions).filter(([, value]) => typeof value === "function") as [string, AdminAction][];
    expect(actions.map(([name]) => name)).toEqual(expect.arrayContaining(["adminSetUserDisabled", "adminRevokeKey", "adminSetKeyRateLimit", "adminResetTwoFactor"]));
    for (const [, action] of actions) {
      expect(await action({ ok: false }, form({ userId: target.id, disabled: "true", keyId: target.id, reason: "a good reason", limit: "5" }))).toEqual({ ok: false, message: "Not found." });
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).disabledAt).toBeNull();
    expect(await db.apiKey.count()).toBe(key);

    const response = await exportAudit(new Request("http://localhost/admin/audit/export"));
    expect(response.status).toBe(404);

    // Once the admin turns two-factor on (from this browser), the same calls go through.
    await enroll(admin, adminSession);
    expect(await redirectOf(requireAdmin())).toBeNull();
    expect(await adminActions.adminSetUserDisabled({ ok: false }, form({ userId: target.id, disabled: "true" }))).toMatchObject({ ok: true });
    expect((await exportAudit(new Request("http://localhost/admin/audit/export"))).status).toBe(200);
  });

  it("every server action file under the admin console is covered: each refuses an admin without two-factor", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    await signInAs(admin.id);
    const root = path.resolve("app/(admin)");
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((file) => /(^|\/)actions\.ts$/.test(file));
    expect(files.length).toBeGreaterThanOrEqual(1);
    for (const file of files) {
      const module = (await import(path.join(root, file))) as Record<string, unknown>;
      for (const [name, action] of Object.entries(module)) {
        if (typeof action !== "function") continue;
        const answer = await (action as (state: unknown, data: FormData) => Promise<unknown>)({ ok: false }, form({}));
        expect(answer, `${file} ${name}`).toMatchObject({ ok: false });
      }
    }
  });

  it("a regular user is still a 404, not a hint to enroll", async () => {
    const user = await createTestUser();
    await signInAs(user.id);
    await expect(requireAdmin()).rejects.toMatchObject({ digest: expect.stringContaining("404") });
  });
});

describe("resetting a user's second factor", () => {
  it("from the console: clears it, ends the user's sessions, audits auth.two_factor_reset and tells the user", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    await enroll(admin);
    const user = await createTestUser();
    await enroll(user);
    const userSession = await createSession({ userId: user.id, method: "credentials" });
    await signInAs(admin.id);

    const page = await listUsers({ search: user.email });
    expect(page.items[0]).toMatchObject({ id: user.id, emailVerifiedAt: null });
    expect(page.items[0].totpEnabledAt).toBeInstanceOf(Date);

    const answer = await adminActions.adminResetTwoFactor({ ok: false }, form({ userId: user.id }));
    expect(answer).toMatchObject({ ok: true });
    expect(await twoFactorStatus(user.id)).toEqual({ enabled: false, hasPassword: false, enabledAt: null, recoveryCodesLeft: 0 });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ totpSecret: null, totpLastStep: null });
    expect((await db.session.findUniqueOrThrow({ where: { id: userSession } })).revokedAt).not.toBeNull();
    expect(await db.auditEvent.findFirst({ where: { action: "auth.two_factor_reset", targetUserId: user.id } })).toMatchObject({ actorId: admin.id });
    expect(await db.notification.count({ where: { userId: user.id, kind: "two_factor_reset" } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { to: user.email, kind: "two_factor_reset" } })).toBe(1);
    // Again: nothing to reset, said plainly.
    expect(await adminActions.adminResetTwoFactor({ ok: false }, form({ userId: user.id }))).toEqual({ ok: false, message: `${user.email} does not have two-factor sign-in on.`, errors: undefined });
    expect((await listUsers({ search: user.email })).items[0].totpEnabledAt).toBeNull();
  });

  it("from the CLI: `users reset-2fa <email>` does the same, and names an unknown email", async () => {
    const user = await createTestUser();
    await enroll(user);
    const session = await createSession({ userId: user.id, method: "credentials" });
    // `users list` shows the status per user, as the console does.
    const listed = await startCli(env.DATABASE_URL, ["users", "list", "--search", user.email]).done;
    const [header, row] = listed.stdout.trim().split("\n").map((line) => line.split(/\s{2,}/));
    expect(Object.fromEntries(header.map((name, i) => [name, row[i]]))).toMatchObject({ EMAIL: user.email, VERIFIED: "no", "2FA": "on" });
    const run = await startCli(env.DATABASE_URL, ["users", "reset-2fa", user.email.toUpperCase()]).done;
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${user.email} signs in with a password alone now`);
    expect((await twoFactorStatus(user.id)).enabled).toBe(false);
    expect((await db.session.findUniqueOrThrow({ where: { id: session } })).revokedAt).not.toBeNull();
    expect(await db.auditEvent.findFirst({ where: { action: "auth.two_factor_reset", targetUserId: user.id } })).toMatchObject({ actorId: null, userAgent: expect.stringContaining("keyport-cli") });
    expect(await db.outboxMessage.count({ where: { to: user.email, kind: "two_factor_reset" } })).toBe(1);

    const unknown = await startCli(env.DATABASE_URL, ["users", "reset-2fa", `nobody-${randomUUID()}@example.test`]).done;
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: No user with the email nobody-/);
  });
});
