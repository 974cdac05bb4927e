import { beforeEach, describe, expect, it, vi } from "vitest";

// The operator requires two-factor for admins (set before lib/env is read): the console is
// meant to open only to a browser that got past a second factor.
vi.hoisted(() => {
  process.env.REQUIRE_2FA_FOR_ADMINS = "1";
});

// next/headers stands in for one request (tests/fixtures/next-request.ts); the database,
// the limiters and the crypto are real.
vi.mock("next/headers", () => import("../fixtures/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

import { generate } from "otplib";
import { confirmEnrollmentAction } from "@/app/(dashboard)/account/two-factor/actions";
import { currentAdmin, currentUser } from "@/lib/auth";
import { db } from "@/lib/db";
import { createSession } from "@/lib/sessions/create-session";
import { encodeSessionToken, sessionCookieName } from "@/lib/sessions/session-cookie";
import { beginEnrollment, confirmEnrollment } from "@/lib/two-factor/manage-two-factor";
import { completeSignInChallenge, issueSignInChallenge } from "@/lib/two-factor/sign-in-challenge";
import { signUpUser } from "@/lib/users/sign-up";
import { postForm, request } from "../fixtures/next-request";
import { createTestUser } from "../helpers/factories";

const OWNER_PASSWORD = "the owner's own long passphrase";

/** A browser signed in with a password alone: a Session row and the cookie naming it. */
async function passwordOnlyJar(userId: string) {
  const sessionId = await createSession({ userId, method: "credentials" });
  return new Map([[sessionCookieName(), await encodeSessionToken(userId, sessionId)]]);
}

/** Who a saved cookie jar signs in as now, and whether the admin console admits it. */
async function standingOf(jar: Map<string, string>) {
  request.cookies = new Map(jar);
  return { user: (await currentUser())?.id ?? null, admin: (await currentAdmin())?.id ?? null };
}

beforeEach(() => {
  request.cookies = new Map();
});

describe("turning two-factor on shuts out whoever had only the password", () => {
  it("other sessions end when two-factor is turned on, so a session made with a stolen password does not become a console session", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    // Someone who phished the admin's password signed in before the admin turned two-factor on.
    const intruder = await passwordOnlyJar(admin.id);
    expect(await standingOf(intruder)).toEqual({ user: admin.id, admin: null });

    // The admin enrolls from their own browser, as the console asks them to.
    const own = await passwordOnlyJar(admin.id);
    const enrollment = await beginEnrollment(admin);
    const code = await generate({ secret: enrollment.secret, epoch: Math.floor(Date.now() / 1000) });
    const enrolled = await postForm(confirmEnrollmentAction, { ok: false }, { enrollmentToken: enrollment.enrollmentToken, code }, own, "192.0.2.77");
    expect(enrolled.state?.recoveryCodes).toHaveLength(10);

    // The browser that enrolled (it proved a code) opens the console; the intruder's password-only session is over.
    expect(await standingOf(own)).toEqual({ user: admin.id, admin: admin.id });
    expect(await standingOf(intruder)).toEqual({ user: null, admin: null });
  });
});

describe("a stolen session cookie cannot turn two-factor on", () => {
  it("the enrollment action asks for the account's password: with the cookie and a code from the thief's own app alone, nothing changes and the owner stays signed in", async () => {
    const email = `stolen-cookie-${Date.now().toString(36)}@example.test`;
    await signUpUser({ email, password: OWNER_PASSWORD }, {});
    const owner = await db.user.findUniqueOrThrow({ where: { email } });
    const ownersBrowser = await passwordOnlyJar(owner.id);
    const stolen = await passwordOnlyJar(owner.id);

    // The thief opens /account/two-factor with the stolen cookie and scans the QR code into their own app.
    const enrollment = await beginEnrollment(owner);
    const code = await generate({ secret: enrollment.secret, epoch: Math.floor(Date.now() / 1000) });
    for (const password of [undefined, "", "a guess at the password"]) {
      const fields: Record<string, string> = { enrollmentToken: enrollment.enrollmentToken, code, ...(password === undefined ? {} : { password }) };
      const refused = await postForm(confirmEnrollmentAction, { ok: false }, fields, stolen, "192.0.2.91");
      expect(refused.state).toMatchObject({ ok: false, errors: { password: ["That is not your current password."] } });
    }
    expect(await db.user.findUniqueOrThrow({ where: { id: owner.id } })).toMatchObject({ totpSecret: null, totpEnabledAt: null });
    expect(await db.recoveryCode.count({ where: { userId: owner.id } })).toBe(0);
    expect(await standingOf(ownersBrowser)).toMatchObject({ user: owner.id });

    // The owner, who knows the password, can.
    const enrolled = await postForm(confirmEnrollmentAction, { ok: false }, { enrollmentToken: enrollment.enrollmentToken, code, password: OWNER_PASSWORD }, ownersBrowser, "192.0.2.92");
    expect(enrolled.state?.recoveryCodes).toHaveLength(10);
  });
});

describe("one code, many requests at once", () => {
  async function enrolled() {
    const user = await createTestUser();
    const at = new Date(Date.now() - 10 * 30_000);
    const enrollment = await beginEnrollment(user, at);
    const result = await confirmEnrollment(user.id, { enrollmentToken: enrollment.enrollmentToken, code: await generate({ secret: enrollment.secret, epoch: Math.floor(at.getTime() / 1000) }) }, { actorId: user.id, ip: "192.0.2.78", userAgent: "vitest" }, at);
    if (!result.ok) throw new Error(result.code);
    return { user, secret: enrollment.secret, recoveryCodes: result.recoveryCodes };
  }
  const context = (n: number) => ({ ip: `192.0.2.${100 + n}`, userAgent: "vitest" });

  it("a TOTP code sent with five challenges at the same moment signs in once", async () => {
    const { user, secret } = await enrolled();
    const challenges = await Promise.all(Array.from({ length: 5 }, () => issueSignInChallenge(user, "credentials")));
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) });
    const answers = await Promise.all(challenges.map((challenge, n) => completeSignInChallenge(challenge, code, context(n))));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("a recovery code sent with five challenges at the same moment signs in once and is spent", async () => {
    const { user, recoveryCodes } = await enrolled();
    const challenges = await Promise.all(Array.from({ length: 5 }, () => issueSignInChallenge(user, "credentials")));
    const answers = await Promise.all(challenges.map((challenge, n) => completeSignInChallenge(challenge, recoveryCodes[0], context(n))));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.recoveryCode.count({ where: { userId: user.id, usedAt: { not: null } } })).toBe(1);
  });

  it("one challenge sent with five different right codes at the same moment makes one session", async () => {
    const { user, recoveryCodes } = await enrolled();
    const challenge = await issueSignInChallenge(user, "credentials");
    const answers = await Promise.all(recoveryCodes.slice(0, 5).map((code, n) => completeSignInChallenge(challenge, code, context(n))));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
  });
});
