import { beforeEach, describe, expect, it, vi } from "vitest";

// Attacks on turning two-factor on (app/(dashboard)/account/two-factor/actions.ts and
// lib/two-factor/manage-two-factor.ts): a thief holding a stolen session cookie, and an
// account's earlier holder. next/headers stands in for one request; the database, the
// limiters and the crypto are real.
vi.mock("next/headers", () => import("../fixtures/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

import { randomUUID } from "node:crypto";
import { generate } from "otplib";
import { confirmEnrollmentAction } from "@/app/(dashboard)/account/two-factor/actions";
import { env } from "@/lib/env";
import { db } from "@/lib/db";
import { createSession } from "@/lib/sessions/create-session";
import { encodeSessionToken, sessionCookieName } from "@/lib/sessions/session-cookie";
import { beginEnrollment, confirmEnrollment } from "@/lib/two-factor/manage-two-factor";
import { requestPasswordReset, resetPassword } from "@/lib/users/reset-password";
import { signInWithPassword } from "@/lib/users/sign-in-with-password";
import { signUpUser } from "@/lib/users/sign-up";
import { form, postForm, request } from "../fixtures/next-request";
import { tokenMailedTo } from "../helpers/outbox";

const OWNER_PASSWORD = "the owner's own long passphrase";
const EARLIER_HOLDER_PASSWORD = "the earlier holder's passphrase";

async function jarOf(userId: string) {
  const sessionId = await createSession({ userId, method: "credentials" });
  return new Map([[sessionCookieName(), await encodeSessionToken(userId, sessionId)]]);
}

async function signedUp(label: string) {
  const email = `${label}-${randomUUID()}@enroll-attacks.test`;
  await signUpUser({ email, password: OWNER_PASSWORD }, {});
  return db.user.findUniqueOrThrow({ where: { email } });
}

beforeEach(() => {
  request.cookies = new Map();
});

describe("a stolen cookie guessing the password on the enrollment form", () => {
  it(`40 guesses posted at once compare at most ${env.SIGN_IN_ATTEMPTS_PER_ACCOUNT} passwords, and turn nothing on`, async () => {
    const owner = await signedUp("burst");
    const stolen = await jarOf(owner.id);
    const enrollment = await beginEnrollment(owner);
    const code = await generate({ secret: enrollment.secret, epoch: Math.floor(Date.now() / 1000) });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, n) => postForm(confirmEnrollmentAction, { ok: false }, { enrollmentToken: enrollment.enrollmentToken, code, password: `guess number ${n} of many` }, stolen, `192.0.2.${100 + n}`)),
    );
    expect(answers.every((answer) => answer.state?.ok === false)).toBe(true);
    expect(await db.auditEvent.count({ where: { targetUserId: owner.id, action: "auth.sign_in_failed" } })).toBeLessThanOrEqual(env.SIGN_IN_ATTEMPTS_PER_ACCOUNT);
    expect(await db.user.findUniqueOrThrow({ where: { id: owner.id } })).toMatchObject({ totpEnabledAt: null, totpSecret: null });
  });

  it("a password posted as a file, twice, or an enrollment token of another account turns nothing on", async () => {
    const owner = await signedUp("forged");
    const other = await signedUp("other");
    const stolen = await jarOf(owner.id);
    const enrollment = await beginEnrollment(owner);
    const code = await generate({ secret: enrollment.secret, epoch: Math.floor(Date.now() / 1000) });
    request.headers = new Headers({ "user-agent": "vitest", "x-forwarded-for": "192.0.2.200" });
    request.cookies = new Map(stolen);
    const asFile = form({ enrollmentToken: enrollment.enrollmentToken, code });
    asFile.append("password", new Blob([OWNER_PASSWORD]), "password.txt");
    expect(await confirmEnrollmentAction({ ok: false }, asFile)).toMatchObject({ ok: false });
    const twice = form({ enrollmentToken: enrollment.enrollmentToken, code, password: "not the password at all" });
    twice.append("password", OWNER_PASSWORD);
    expect(await confirmEnrollmentAction({ ok: false }, twice)).toMatchObject({ ok: false });
    // The other account's own enrollment token and password, posted with the owner's cookie.
    const foreign = await beginEnrollment(other);
    const foreignCode = await generate({ secret: foreign.secret, epoch: Math.floor(Date.now() / 1000) });
    expect(await confirmEnrollmentAction({ ok: false }, form({ enrollmentToken: foreign.enrollmentToken, code: foreignCode, password: OWNER_PASSWORD }))).toMatchObject({ ok: false });
    expect(await db.user.count({ where: { id: { in: [owner.id, other.id] }, totpEnabledAt: { not: null } } })).toBe(0);
  });
});

/** Signs up `email` with `password` and turns two-factor on for it; the authenticator's secret. */
async function enrolledAccount(email: string, password: string) {
  await signUpUser({ email, password }, {});
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  const enrolledAt = new Date(Date.now() - 10 * 30_000);
  const enrollment = await beginEnrollment(user, enrolledAt);
  const code = await generate({ secret: enrollment.secret, epoch: Math.floor(enrolledAt.getTime() / 1000) });
  expect(await confirmEnrollment(user.id, { enrollmentToken: enrollment.enrollmentToken, code, password }, { actorId: user.id, ip: "192.0.2.210" }, enrolledAt)).toMatchObject({ ok: true });
  return user;
}

async function resetFromMail(email: string, password: string) {
  await requestPasswordReset(email, { ip: "192.0.2.211" });
  expect(await resetPassword(await tokenMailedTo(email, "reset_password"), password, { ip: "192.0.2.211" })).toBe(true);
}

describe("an account's earlier holder cannot keep its owner out with an authenticator of theirs", () => {
  it("someone who signed up first with another's address and turned two-factor on: the owner's reset from their mail signs them in without that authenticator", async () => {
    // The earlier holder needs no mailbox to sign up with the address, nor to put their own app on it.
    const email = `prehijacked-${randomUUID()}@enroll-attacks.test`;
    const account = await enrolledAccount(email, EARLIER_HOLDER_PASSWORD);

    // The owner cannot sign up ("sign in instead"), so they reset the password from their mail.
    await resetFromMail(email, OWNER_PASSWORD);
    expect(await signInWithPassword({ email, password: OWNER_PASSWORD }, { ip: "192.0.2.212" })).toMatchObject({ ok: true });
    expect(await db.user.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ totpEnabledAt: null, totpSecret: null });
    expect(await db.recoveryCode.count({ where: { userId: account.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { targetUserId: account.id, action: "auth.two_factor_reset" } })).toBe(1);
  });

  it("an account whose address was verified keeps its second factor through a reset: the mailbox alone does not get past it", async () => {
    const email = `verified-${randomUUID()}@enroll-attacks.test`;
    const account = await enrolledAccount(email, OWNER_PASSWORD);
    await db.user.update({ where: { id: account.id }, data: { emailVerifiedAt: new Date() } });
    await resetFromMail(email, "a mailbox thief's passphrase");
    expect(await signInWithPassword({ email, password: "a mailbox thief's passphrase" }, { ip: "192.0.2.213" })).toMatchObject({ ok: false, code: "two_factor_required" });
  });
});
