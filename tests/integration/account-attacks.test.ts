import { beforeEach, describe, expect, it, vi } from "vitest";

// An outsider's attacks on the account features (#11), each through the entry point the
// browser's request would reach: a server action, or the lib function its action calls.
// next/headers stands in for one request (tests/fixtures/next-request.ts); the database,
// the limiters and the crypto are real.
vi.mock("next/headers", () => import("../fixtures/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

import { randomUUID } from "node:crypto";
import { generate } from "otplib";
import { setUserDisabled } from "@/lib/admin/manage-users";
import { currentUser } from "@/lib/auth";
import { db } from "@/lib/db";
import { createSession } from "@/lib/sessions/create-session";
import { encodeSessionToken, sessionCookieName } from "@/lib/sessions/session-cookie";
import { beginEnrollment, confirmEnrollment } from "@/lib/two-factor/manage-two-factor";
import { completeSignInChallenge } from "@/lib/two-factor/sign-in-challenge";
import { requestEmailChange } from "@/lib/users/change-email";
import { deleteAccount } from "@/lib/users/delete-account";
import { changePassword, requestPasswordReset, resetPassword } from "@/lib/users/reset-password";
import { signInWithPassword } from "@/lib/users/sign-in-with-password";
import { signUpUser } from "@/lib/users/sign-up";
import { confirmEmailToken } from "@/lib/users/verify-email";
import { GET as me } from "@/app/api/v1/me/route";
import { invalidate } from "@/lib/api-keys/key-events";
import { usableKeyWhere } from "@/lib/api-keys/key-policy";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { request } from "../fixtures/next-request";
import { createTestKey } from "../helpers/factories";
import { tokenMailedTo } from "../helpers/outbox";

const ATTACKER_PASSWORD = "the attacker's own passphrase";
const VICTIM_PASSWORD = "the victim's chosen passphrase";

let ipCounter = 0;
/** A fresh client address, so one test's throttle points do not spill into another's. */
const freshIp = () => `198.18.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
const context = (actorId: string | null = null) => ({ actorId, ip: freshIp(), userAgent: "vitest" });

const address = (label: string) => `${label}-${randomUUID()}@attacks.test`;

beforeEach(() => {
  request.cookies = new Map();
  request.headers = new Headers({ "user-agent": "vitest" });
});

describe("a disabled account's links do nothing", () => {
  it("an email-change link asked for before an admin disabled the account does not move it, and its verification link does not verify", async () => {
    const email = address("disabled");
    const elsewhere = address("elsewhere");
    await signUpUser({ email, password: ATTACKER_PASSWORD }, context());
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    await requestEmailChange({ userId: user.id, newEmail: elsewhere, password: ATTACKER_PASSWORD }, context(user.id));
    const pendingChange = await tokenMailedTo(elsewhere, "change_email");
    const pendingVerification = await tokenMailedTo(email, "verify_email");

    const admin = await db.user.create({ data: { email: address("admin"), role: "ADMIN" } });
    await setUserDisabled({ userId: user.id, disabled: true }, context(admin.id));

    expect(await confirmEmailToken(pendingChange, user.id, context())).toEqual({ ok: false, reason: "invalid" });
    expect(await confirmEmailToken(pendingVerification, user.id, context())).toEqual({ ok: false, reason: "invalid" });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ email, emailVerifiedAt: null, role: "USER" });
    expect(await db.auditEvent.count({ where: { targetUserId: user.id, action: { in: ["auth.email_changed", "auth.email_verified"] } } })).toBe(0);
  });
});

describe("a pre-hijacked account: links asked for before the owner took control stop working", () => {
  it("a password reset voids an email change the account's earlier holder asked for, so it cannot move the account away", async () => {
    // The attacker signs up first with the victim's address (no mailbox needed for that) and
    // asks to move the account to an address of their own: that link waits in their mailbox.
    const victimEmail = address("victim");
    const attackerEmail = address("attacker");
    await signUpUser({ email: victimEmail, password: ATTACKER_PASSWORD }, context());
    const account = await db.user.findUniqueOrThrow({ where: { email: victimEmail } });
    expect(await requestEmailChange({ userId: account.id, newEmail: attackerEmail, password: ATTACKER_PASSWORD }, context(account.id))).toEqual({ ok: true });
    const pendingChange = await tokenMailedTo(attackerEmail, "change_email");

    // The victim cannot sign up ("sign in instead"), so they reset the password from their mail
    // and verify the address with the sign-up's link: the account is theirs now.
    await requestPasswordReset(victimEmail, context());
    expect(await resetPassword(await tokenMailedTo(victimEmail, "reset_password"), VICTIM_PASSWORD, context())).toBe(true);
    expect(await confirmEmailToken(await tokenMailedTo(victimEmail, "verify_email"), account.id, context())).toMatchObject({ ok: true, purpose: "verify_email" });

    // The attacker's link from before the reset no longer moves the account to their address.
    expect(await confirmEmailToken(pendingChange, account.id, context())).toEqual({ ok: false, reason: "invalid" });
    const after = await db.user.findUniqueOrThrow({ where: { id: account.id } });
    expect(after.email).toBe(victimEmail);
    expect(await db.auditEvent.count({ where: { targetUserId: account.id, action: "auth.email_changed" } })).toBe(0);
  });

  it("a password change voids pending email-change links too (whoever asked for them knew the old password)", async () => {
    const email = address("owner");
    const elsewhere = address("elsewhere");
    await signUpUser({ email, password: ATTACKER_PASSWORD }, context());
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    await requestEmailChange({ userId: user.id, newEmail: elsewhere, password: ATTACKER_PASSWORD }, context(user.id));
    const pendingChange = await tokenMailedTo(elsewhere, "change_email");
    const session = await db.session.create({ data: { id: randomUUID(), userId: user.id, method: "credentials", expiresAt: new Date(Date.now() + 86_400_000) } });

    expect(await changePassword({ userId: user.id, sessionId: session.id, currentPassword: ATTACKER_PASSWORD, newPassword: VICTIM_PASSWORD }, context(user.id))).toMatchObject({ ok: true });
    expect(await confirmEmailToken(pendingChange, user.id, context())).toEqual({ ok: false, reason: "invalid" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(email);
  });

  it("a sign-in challenge made with the old password no longer signs in once the password is reset", async () => {
    const email = address("two-factor");
    await signUpUser({ email, password: ATTACKER_PASSWORD }, context());
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const enrolledAt = new Date(Date.now() - 10 * 30_000);
    const enrollment = await beginEnrollment(user, enrolledAt);
    const code = (at: Date) => generate({ secret: enrollment.secret, epoch: Math.floor(at.getTime() / 1000) });
    expect((await confirmEnrollment(user.id, { enrollmentToken: enrollment.enrollmentToken, code: await code(enrolledAt), password: ATTACKER_PASSWORD }, context(user.id), enrolledAt)).ok).toBe(true);

    // Someone with the old password passes the first step and holds the challenge cookie...
    const first = await signInWithPassword({ email, password: ATTACKER_PASSWORD }, context());
    if (first.ok || first.code !== "two_factor_required") throw new Error(`expected a challenge, got ${JSON.stringify(first)}`);
    // ...the owner resets the password from their mail...
    await requestPasswordReset(email, context());
    expect(await resetPassword(await tokenMailedTo(email, "reset_password"), VICTIM_PASSWORD, context())).toBe(true);
    // ...and the challenge from before the reset makes no session, even with a right code.
    expect(await completeSignInChallenge(first.challenge, await code(new Date()), context())).toEqual({ ok: false, code: "expired" });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("a deleted account signs nobody in", () => {
  it("a session that a sign-in racing the deletion records after it (the password was checked just before) does not sign in", async () => {
    const email = address("deleted");
    await signUpUser({ email, password: VICTIM_PASSWORD }, context());
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(await deleteAccount({ userId: user.id, password: VICTIM_PASSWORD }, context(user.id))).toMatchObject({ ok: true });
    // signInWithPassword compares the password, then records the session: a deletion that
    // commits between the two leaves a fresh Session row for the deleted account.
    const lateSession = await createSession({ userId: user.id, method: "credentials", deviceId: null });
    request.cookies = new Map([[sessionCookieName(), await encodeSessionToken(user.id, lateSession)]]);
    expect(await currentUser()).toBeNull();
  });

  it("a personal key that a create racing the deletion wrote after the deletion's revokes is refused: a deleted owner's keys never work", async () => {
    const email = address("deleted-keys");
    await signUpUser({ email, password: VICTIM_PASSWORD }, context());
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const { key, secret } = await createTestKey(user.id);
    expect(await deleteAccount({ userId: user.id, password: VICTIM_PASSWORD }, context(user.id))).toMatchObject({ ok: true, keysRevoked: 1 });
    // What the race leaves behind: a key of the deleted account that no revoke reached.
    await db.apiKey.update({ where: { id: key.id }, data: { revokedAt: null, revokedReason: null, revokedById: null } });
    invalidate({ kind: "key", id: key.id });
    expect(await verifyApiKey(secret)).toMatchObject({ ok: false, reason: "owner_disabled" });
    const response = await me(new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${secret}` } }), { params: Promise.resolve({}) });
    expect(response.status).toBe(401);
    // The database's view of key state agrees (caps, lists, reminders).
    expect(await db.apiKey.count({ where: { id: key.id, ...usableKeyWhere(new Date()) } })).toBe(0);
    // And nothing makes a new one for it.
    await expect(createTestKey(user.id)).rejects.toMatchObject({ code: "not_found" });
  });
});
