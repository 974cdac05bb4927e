import { beforeEach, describe, expect, it, vi } from "vitest";

// next/headers stands in for one request (tests/fixtures/next-request.ts); the database,
// the limiter and the crypto are real.
vi.mock("next/headers", () => import("../fixtures/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Account, User } from "next-auth";
import { generate } from "otplib";
import { signInAction, type AuthFormState } from "@/app/(auth)/actions";
import { twoFactorSignInAction } from "@/app/(auth)/sign-in/two-factor/actions";
import { confirmEnrollmentAction, disableTwoFactorAction, regenerateRecoveryCodesAction } from "@/app/(dashboard)/account/two-factor/actions";
import { authOptions, currentUser } from "@/lib/auth";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { createSession } from "@/lib/sessions/create-session";
import { encodeSessionToken, sessionCookieName } from "@/lib/sessions/session-cookie";
import { challengeCookieName } from "@/lib/two-factor/challenge-cookie";
import { beginEnrollment, confirmEnrollment, disableTwoFactor, regenerateRecoveryCodes, twoFactorStatus } from "@/lib/two-factor/manage-two-factor";
import { hashRecoveryCode, looksLikeRecoveryCode, RECOVERY_CODE_COUNT } from "@/lib/two-factor/recovery-codes";
import { decryptTotpSecret, encryptTotpSecret, spendSecondFactor } from "@/lib/two-factor/second-factor";
import { seal, unseal } from "@/lib/two-factor/secret-box";
import { CHALLENGE_TTL_MS, completeSignInChallenge, issueSignInChallenge, readSignInChallenge } from "@/lib/two-factor/sign-in-challenge";
import { matchTotpCode } from "@/lib/two-factor/totp";
import { signUpUser } from "@/lib/users/sign-up";
import { postForm, request } from "../fixtures/next-request";
import { signInWithOAuth } from "@/lib/users/oauth-user";

const PASSWORD = "a long and unusual passphrase";
const STEP_MS = 30_000;

let ipCounter = 0;
/** A fresh client address, so one test's throttle points do not spill into another's. */
const freshIp = () => `198.19.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
const context = (ip = freshIp()) => ({ actorId: null, ip, userAgent: "vitest" });

/** The code an authenticator app shows at `at`. */
const codeAt = (secret: string, at: Date) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

/** A six-digit code that is valid at no step within the window around `at`: a wrong guess that cannot collide by chance. */
async function wrongCode(secret: string, at: Date, seed = 0): Promise<string> {
  const valid = new Set(await Promise.all([-1, 0, 1].map((steps) => codeAt(secret, new Date(at.getTime() + steps * STEP_MS)))));
  for (let n = seed; ; n++) {
    const guess = String(n % 1_000_000).padStart(6, "0");
    if (!valid.has(guess)) return guess;
  }
}

/** A time at the start of a 30-second step, so "one step later" is never ambiguous. */
function stepStart(offsetSteps = 0): Date {
  const now = Date.now();
  return new Date(now - (now % STEP_MS) + offsetSteps * STEP_MS);
}

/** A password account with two-factor turned on at `enrolledAt` (its code for that step is spent by the enrollment). */
async function enrolledUser(enrolledAt = stepStart(-10)) {
  const email = `tf-${randomUUID()}@example.test`;
  await signUpUser({ email, password: PASSWORD }, {});
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  const enrollment = await beginEnrollment(user, enrolledAt);
  const result = await confirmEnrollment(user.id, { enrollmentToken: enrollment.enrollmentToken, code: await codeAt(enrollment.secret, enrolledAt), password: PASSWORD }, context(), enrolledAt);
  if (!result.ok) throw new Error(`enrollment failed: ${result.code}`);
  return { user, email, secret: enrollment.secret, recoveryCodes: result.recoveryCodes };
}

/** One form post from a fresh address (so throttle points do not spill between tests). */
const post = <S,>(action: (state: S, data: FormData) => Promise<S>, initial: S, fields: Record<string, string>, jar = new Map<string, string>(), ip = freshIp()) =>
  postForm(action, initial, fields, jar, ip);

const EMPTY: AuthFormState = { values: { email: "", name: "" } };
const sessionsOf = (userId: string) => db.session.count({ where: { userId } });

beforeEach(() => {
  request.cookies = new Map();
});

describe("TOTP secrets are encrypted at rest", () => {
  it("the stored secret is AES-GCM ciphertext that only this user's row and this NEXTAUTH_SECRET open", async () => {
    const { user, secret } = await enrolledUser();
    const { totpSecret } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(totpSecret).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(totpSecret).not.toContain(secret);
    expect(Buffer.from(totpSecret!.split(".")[2], "base64url").toString("latin1")).not.toContain(secret);
    expect(decryptTotpSecret(totpSecret, user.id)).toBe(secret);
    // Copied to another user's row, it does not open (the user id is bound as additional data).
    expect(decryptTotpSecret(totpSecret, "someone-else")).toBeNull();
    // Under another NEXTAUTH_SECRET, or with one bit flipped, it does not open either.
    expect(unseal(totpSecret, "totp-secret", user.id, "another-secret-another-secret-another")).toBeNull();
    const parts = totpSecret!.split(".");
    const body = Buffer.from(parts[2], "base64url");
    body[0] ^= 1;
    expect(decryptTotpSecret([parts[0], parts[1], body.toString("base64url"), parts[3]].join("."), user.id)).toBeNull();
    // Each sealing uses a fresh IV: the same secret never looks the same twice.
    expect(encryptTotpSecret(secret, user.id)).not.toBe(encryptTotpSecret(secret, user.id));
    expect(seal("x", "a", "b")).not.toBe(seal("x", "a", "b"));
  });

  it("nothing is stored until a code from the new secret is proven, and the enrollment form expires", async () => {
    const email = `pending-${randomUUID()}@example.test`;
    await signUpUser({ email, password: PASSWORD }, {});
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const now = stepStart();
    const enrollment = await beginEnrollment(user, now);
    expect(enrollment.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(enrollment.enrollmentToken).not.toContain(enrollment.secret);
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ totpSecret: null, totpEnabledAt: null });

    expect(await confirmEnrollment(user.id, { enrollmentToken: enrollment.enrollmentToken, code: await wrongCode(enrollment.secret, now), password: PASSWORD }, context(), now)).toEqual({ ok: false, code: "wrong_code" });
    const late = new Date(now.getTime() + 16 * 60_000);
    expect(await confirmEnrollment(user.id, { enrollmentToken: enrollment.enrollmentToken, code: await codeAt(enrollment.secret, late) }, context(), late)).toEqual({ ok: false, code: "expired" });
    // Another user cannot enroll with this user's form.
    const other = await db.user.create({ data: { email: `other-${randomUUID()}@example.test` } });
    expect(await confirmEnrollment(other.id, { enrollmentToken: enrollment.enrollmentToken, code: await codeAt(enrollment.secret, now) }, context(), now)).toEqual({ ok: false, code: "expired" });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ totpSecret: null, totpEnabledAt: null });

    const done = await confirmEnrollment(user.id, { enrollmentToken: enrollment.enrollmentToken, code: await codeAt(enrollment.secret, now), password: PASSWORD }, context(), now);
    expect(done.ok).toBe(true);
    expect(await twoFactorStatus(user.id)).toEqual({ enabled: true, hasPassword: true, enabledAt: now, recoveryCodesLeft: RECOVERY_CODE_COUNT });
    expect(await db.auditEvent.count({ where: { targetUserId: user.id, action: "auth.two_factor_enabled" } })).toBe(1);
    // A second enrollment (another tab) cannot replace the working secret.
    const again = await beginEnrollment(user, now);
    const later = new Date(now.getTime() + STEP_MS);
    expect(await confirmEnrollment(user.id, { enrollmentToken: again.enrollmentToken, code: await codeAt(again.secret, later), password: PASSWORD }, context(), later)).toEqual({ ok: false, code: "already_enabled" });
  });
});

describe("TOTP codes", () => {
  it("are accepted one step either side of the server's clock, and no further", async () => {
    const { secret } = await enrolledUser();
    const now = stepStart(5);
    const at = (steps: number) => codeAt(secret, new Date(now.getTime() + steps * STEP_MS));
    const step = Math.floor(now.getTime() / STEP_MS);
    expect(await matchTotpCode(secret, await at(0), { now })).toBe(step);
    expect(await matchTotpCode(secret, await at(-1), { now })).toBe(step - 1);
    expect(await matchTotpCode(secret, await at(1), { now })).toBe(step + 1);
    expect(await matchTotpCode(secret, await at(-2), { now })).toBeNull();
    expect(await matchTotpCode(secret, await at(2), { now })).toBeNull();
    // Typed with a space, it still counts; anything not six digits is refused without a throw.
    const code = await at(0);
    expect(await matchTotpCode(secret, `${code.slice(0, 3)} ${code.slice(3)}`, { now })).toBe(step);
    for (const junk of ["", "12345", "1234567", "abcdef", "１２３４５６"]) expect(await matchTotpCode(secret, junk, { now })).toBeNull();
  });

  it("a code is accepted once: the same code again, or an older one, is refused (User.totpLastStep)", async () => {
    const enrolledAt = stepStart(-10);
    const { user, secret } = await enrolledUser(enrolledAt);
    // The code proven at enrollment cannot sign in afterwards.
    expect(await spendSecondFactor(user.id, await codeAt(secret, enrolledAt), context(), enrolledAt)).toBeNull();
    const now = stepStart();
    const current = await codeAt(secret, now);
    expect(await spendSecondFactor(user.id, current, context(), now)).toBe("totp");
    expect(await spendSecondFactor(user.id, current, context(), now)).toBeNull();
    // The previous step's code is inside the window but older than the one accepted.
    expect(await spendSecondFactor(user.id, await codeAt(secret, new Date(now.getTime() - STEP_MS)), context(), now)).toBeNull();
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).totpLastStep).toBe(Math.floor(now.getTime() / STEP_MS));
    // Two requests racing with one fresh code: exactly one wins.
    const next = new Date(now.getTime() + STEP_MS);
    const nextCode = await codeAt(secret, next);
    const raced = await Promise.all([spendSecondFactor(user.id, nextCode, context(), next), spendSecondFactor(user.id, nextCode, context(), next)]);
    expect(raced.filter(Boolean)).toEqual(["totp"]);
  });
});

describe("recovery codes", () => {
  it("ten high-entropy codes, stored as SHA-256 only, each works once (audited), in any case and spacing", async () => {
    const { user, recoveryCodes } = await enrolledUser();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const stored = await db.recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored.map((row) => row.codeHash).sort()).toEqual(recoveryCodes.map(hashRecoveryCode).sort());
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]);

    const now = new Date();
    const typed = recoveryCodes[3].toUpperCase().replace(/-/g, " ");
    expect(looksLikeRecoveryCode(typed)).toBe(true);
    expect(await spendSecondFactor(user.id, typed, context(), now)).toBe("recovery_code");
    expect(await spendSecondFactor(user.id, recoveryCodes[3], context(), now)).toBeNull();
    expect(await db.auditEvent.count({ where: { targetUserId: user.id, action: "auth.recovery_code_used" } })).toBe(1);
    expect((await twoFactorStatus(user.id)).recoveryCodesLeft).toBe(9);
    // Another user's code does nothing for this one.
    const other = await enrolledUser();
    expect(await spendSecondFactor(user.id, other.recoveryCodes[0], context(), now)).toBeNull();
  });

  it("regenerating (after a password or a code) replaces every old code; a wrong proof changes nothing", async () => {
    const { user, recoveryCodes, secret } = await enrolledUser();
    expect(await regenerateRecoveryCodes(user.id, "not the password", context())).toEqual({ ok: false, code: "wrong_proof" });
    const byPassword = await regenerateRecoveryCodes(user.id, PASSWORD, context());
    expect(byPassword.ok).toBe(true);
    const fresh = (byPassword as { recoveryCodes: string[] }).recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(await spendSecondFactor(user.id, recoveryCodes[0], context(), new Date())).toBeNull();
    const now = stepStart();
    const byCode = await regenerateRecoveryCodes(user.id, await codeAt(secret, now), context(), now);
    expect(byCode.ok).toBe(true);
    expect(await spendSecondFactor(user.id, fresh[0], context(), new Date())).toBeNull();
    expect(await spendSecondFactor(user.id, (byCode as { recoveryCodes: string[] }).recoveryCodes[0], context(), new Date())).toBe("recovery_code");
    expect(await db.auditEvent.count({ where: { targetUserId: user.id, action: "auth.recovery_codes_regenerated" } })).toBe(2);
  });
});

describe("turning two-factor off", () => {
  it("needs the password or a code, clears the secret and codes, audits, and sends a security notice by mail", async () => {
    const { user, email, secret } = await enrolledUser();
    expect(await disableTwoFactor(user.id, "wrong password guess", context())).toEqual({ ok: false, code: "wrong_proof" });
    expect((await twoFactorStatus(user.id)).enabled).toBe(true);
    const now = stepStart();
    expect((await disableTwoFactor(user.id, await codeAt(secret, now), context(), now)).ok).toBe(true);
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ totpSecret: null, totpEnabledAt: null, totpLastStep: null });
    expect(await db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { targetUserId: user.id, action: "auth.two_factor_disabled" } })).toBe(1);
    expect(await db.notification.count({ where: { userId: user.id, kind: "two_factor_disabled" } })).toBe(1);
    const mail = await db.outboxMessage.findFirstOrThrow({ where: { to: email, kind: "two_factor_disabled" } });
    expect(mail.subject).toContain("Two-factor sign-in was turned off");
    expect(`${mail.text}${mail.html}`).not.toContain(secret);
    // And a password alone signs in again.
    const answer = await post(signInAction, EMPTY, { email, password: PASSWORD, callbackUrl: "/dashboard" });
    expect(answer.redirect).toBe("/dashboard");
  });
});

describe("the second sign-in step", () => {
  it("a right password for an account with two-factor makes no session: a challenge cookie and the code page; the code then signs in", async () => {
    const { user, email, secret } = await enrolledUser();
    const first = await post(signInAction, EMPTY, { email, password: PASSWORD, callbackUrl: "/dashboard/keys" });
    expect(first.redirect).toBe("/sign-in/two-factor?callbackUrl=%2Fdashboard%2Fkeys");
    expect(first.cookies.has(sessionCookieName())).toBe(false);
    expect(first.cookies.get(challengeCookieName())).toBeTruthy();
    expect(await sessionsOf(user.id)).toBe(0);

    const wrong = await post(twoFactorSignInAction, {}, { code: await wrongCode(secret, new Date()), callbackUrl: "/dashboard/keys" }, first.jar);
    expect(wrong.state?.errors?.code?.[0]).toMatch(/not right/);
    expect(await sessionsOf(user.id)).toBe(0);
    expect(await db.auditEvent.count({ where: { targetUserId: user.id, action: "auth.two_factor_failed" } })).toBe(1);

    const second = await post(twoFactorSignInAction, {}, { code: await codeAt(secret, new Date()), callbackUrl: "/dashboard/keys" }, first.jar);
    expect(second.redirect).toBe("/dashboard/keys");
    expect(second.cookies.get(challengeCookieName())).toBe("");
    request.cookies = second.jar;
    expect(await currentUser()).toMatchObject({ id: user.id, twoFactorEnabled: true });
    expect(await db.session.findFirst({ where: { userId: user.id } })).toMatchObject({ method: "credentials", revokedAt: null });
  });

  it("the session-making action called directly, without the challenge cookie or with a forged one, makes no session", async () => {
    const { user, secret } = await enrolledUser();
    const code = await codeAt(secret, new Date());
    const bare = await post(twoFactorSignInAction, {}, { code, callbackUrl: "/dashboard" });
    expect(bare.redirect).toBeNull();
    expect(bare.state?.expired).toBe(true);
    // A cookie that is not one the server signed: a made-up token, with and without a signature.
    const madeUp = Buffer.from(JSON.stringify({ t: "x".repeat(43), m: "credentials" })).toString("base64url");
    for (const forged of [madeUp, `${madeUp}.AAAA`, `${madeUp}.${"A".repeat(43)}`, "garbage", "a.b.c"]) {
      const answer = await post(twoFactorSignInAction, {}, { code, callbackUrl: "/dashboard" }, new Map([[challengeCookieName(), forged]]));
      expect(answer.redirect).toBeNull();
      expect(answer.state?.expired).toBe(true);
    }
    expect(await sessionsOf(user.id)).toBe(0);
  });

  it("a challenge cannot be edited to name another account, is used once, and expires after five minutes (clock passed in)", async () => {
    const victim = await enrolledUser();
    const attacker = await enrolledUser();
    const now = stepStart();
    const cookie = await issueSignInChallenge({ id: attacker.user.id, email: attacker.email }, "credentials", now);
    // The cookie names a token, not a user: re-signing is impossible without the key, and
    // editing the method (or anything) breaks the signature.
    const [payload, signature] = cookie.split(".");
    const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), m: "github" })).toString("base64url");
    expect(await readSignInChallenge(`${edited}.${signature}`, now)).toBeNull();
    // The victim's code does nothing for the attacker's challenge: codes are checked against the challenge's own account.
    expect(await completeSignInChallenge(cookie, await codeAt(victim.secret, now), context(), now)).toEqual({ ok: false, code: "wrong_code" });
    expect(await sessionsOf(victim.user.id)).toBe(0);

    // Expiry: a right code after five minutes is refused.
    const late = new Date(now.getTime() + CHALLENGE_TTL_MS + 1000);
    expect(await readSignInChallenge(cookie, new Date(now.getTime() + CHALLENGE_TTL_MS - 1000))).not.toBeNull();
    expect(await completeSignInChallenge(cookie, await codeAt(attacker.secret, late), context(), late)).toEqual({ ok: false, code: "expired" });

    // Replay: one challenge makes one session.
    const fresh = await issueSignInChallenge({ id: attacker.user.id, email: attacker.email }, "credentials", now);
    const done = await completeSignInChallenge(fresh, await codeAt(attacker.secret, now), context(), now);
    expect(done).toMatchObject({ ok: true, userId: attacker.user.id, method: "totp" });
    const later = new Date(now.getTime() + STEP_MS);
    expect(await completeSignInChallenge(fresh, await codeAt(attacker.secret, later), context(), later)).toEqual({ ok: false, code: "expired" });
    expect(await sessionsOf(attacker.user.id)).toBe(1);
  });

  it("a recovery code signs in once; the same code a second time is refused", async () => {
    const { user, email, recoveryCodes } = await enrolledUser();
    const signIn = async () => (await post(signInAction, EMPTY, { email, password: PASSWORD, callbackUrl: "/dashboard" })).jar;
    const first = await post(twoFactorSignInAction, {}, { code: recoveryCodes[0], callbackUrl: "/dashboard" }, await signIn());
    expect(first.redirect).toBe("/dashboard");
    const second = await post(twoFactorSignInAction, {}, { code: recoveryCodes[0], callbackUrl: "/dashboard" }, await signIn());
    expect(second.redirect).toBeNull();
    expect(second.state?.errors?.code?.[0]).toMatch(/not right/);
    expect(await sessionsOf(user.id)).toBe(1);
    expect(await db.auditEvent.count({ where: { targetUserId: user.id, action: "auth.recovery_code_used" } })).toBe(1);
  });

  it(`is throttled per account like the password step (${env.SIGN_IN_ATTEMPTS_PER_ACCOUNT} failures), and signing in with the password again does not reset it`, async () => {
    const { user, email, secret } = await enrolledUser();
    const now = stepStart();
    for (let i = 0; i < env.SIGN_IN_ATTEMPTS_PER_ACCOUNT; i++) {
      // Each guess from a new address, after a fresh (correct) password: only the account's limit can stop them.
      const cookie = await issueSignInChallenge({ id: user.id, email }, "credentials", now);
      expect(await completeSignInChallenge(cookie, await wrongCode(secret, now, i * 7919), context(), now)).toEqual({ ok: false, code: "wrong_code" });
      const again = await post(signInAction, EMPTY, { email, password: PASSWORD, callbackUrl: "/dashboard" });
      expect(again.redirect).toMatch(/^\/sign-in\/two-factor/);
    }
    const cookie = await issueSignInChallenge({ id: user.id, email }, "credentials", now);
    expect(await completeSignInChallenge(cookie, await codeAt(secret, now), context(), now)).toMatchObject({ ok: false, code: "throttled" });
    expect(await sessionsOf(user.id)).toBe(0);
    const throttled = await post(twoFactorSignInAction, {}, { code: await codeAt(secret, now), callbackUrl: "/dashboard" }, new Map([[challengeCookieName(), cookie]]));
    expect(throttled.state?.message).toMatch(/Too many failed attempts/);
  });

  it(`is throttled per IP too (${env.SIGN_IN_ATTEMPTS_PER_IP} failures across accounts)`, async () => {
    const ip = freshIp();
    const now = stepStart();
    const accounts = await Promise.all(Array.from({ length: 4 }, () => enrolledUser()));
    let throttled = 0;
    for (let i = 0; i < env.SIGN_IN_ATTEMPTS_PER_IP + 1; i++) {
      const target = accounts[i % accounts.length];
      const cookie = await issueSignInChallenge({ id: target.user.id, email: target.email }, "credentials", now);
      const answer = await completeSignInChallenge(cookie, await wrongCode(target.secret, now, i), context(ip), now);
      expect(answer.ok).toBe(false);
      if (!answer.ok && answer.code === "throttled") throttled++;
    }
    // Every account was below its own limit, so the refusal can only be the IP's.
    expect(throttled).toBe(1);
  });

  it("next-auth's credentials endpoint also stops at the challenge: no session, a cookie, the two-factor error code", async () => {
    const { user, email } = await enrolledUser();
    type Authorize = (credentials: Record<string, string>, request: { headers: Record<string, string> }) => Promise<unknown>;
    const authorize = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;
    request.cookies = new Map();
    await expect(authorize({ email, password: PASSWORD }, { headers: { "x-forwarded-for": freshIp() } })).rejects.toThrow("two_factor_required");
    expect(await readSignInChallenge(request.cookies.get(challengeCookieName()))).toMatchObject({ userId: user.id, method: "credentials" });
    expect(await sessionsOf(user.id)).toBe(0);
  });

  it("GitHub sign-in for an account with two-factor is held as a challenge; the jwt callback never makes its session", async () => {
    const identity = { email: `octo-${randomUUID()}@example.test`, name: "Octo", provider: "github", providerAccountId: randomUUID() };
    const created = await signInWithOAuth(identity);
    if (!created.ok) throw new Error("setup");
    const enrolledAt = stepStart(-10);
    const enrollment = await beginEnrollment({ id: created.id, email: identity.email }, enrolledAt);
    expect((await confirmEnrollment(created.id, { enrollmentToken: enrollment.enrollmentToken, code: await codeAt(enrollment.secret, enrolledAt) }, context(), enrolledAt)).ok).toBe(true);

    request.cookies = new Map();
    request.headers = new Headers({ "x-forwarded-for": freshIp(), "user-agent": "vitest" });
    const user = { id: "from-github", email: identity.email } as User;
    const account = { provider: "github", type: "oauth", providerAccountId: identity.providerAccountId } as Account;
    expect(await authOptions.callbacks!.signIn!({ user, account, profile: undefined })).toBe("/sign-in/two-factor");
    const cookie = request.cookies.get(challengeCookieName());
    expect(await readSignInChallenge(cookie)).toMatchObject({ userId: created.id, method: "github" });
    // Even if next-auth went on to its jwt callback, no Session row would be made for this account.
    await expect(authOptions.callbacks!.jwt!({ token: {}, user: { ...user, id: created.id }, account, trigger: "signIn" } as never)).rejects.toThrow();
    expect(await sessionsOf(created.id)).toBe(0);

    const done = await post(twoFactorSignInAction, {}, { code: await codeAt(enrollment.secret, new Date()), callbackUrl: "/dashboard" }, new Map([[challengeCookieName(), cookie!]]));
    expect(done.redirect).toBe("/dashboard");
    expect(await db.session.findFirst({ where: { userId: created.id } })).toMatchObject({ method: "github" });
  });
});

describe("the two-factor settings actions", () => {
  async function signedInJar(userId: string) {
    const sessionId = await createSession({ userId, method: "credentials" });
    return new Map([[sessionCookieName(), await encodeSessionToken(userId, sessionId)]]);
  }

  it("enroll, regenerate and turn off act on the caller's own account only, and refuse without a session", async () => {
    const email = `settings-${randomUUID()}@example.test`;
    await signUpUser({ email, password: PASSWORD }, {});
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const enrollment = await beginEnrollment(user);
    const code = await codeAt(enrollment.secret, new Date());
    const noSession = await post(confirmEnrollmentAction, { ok: false }, { enrollmentToken: enrollment.enrollmentToken, code });
    expect(noSession.state).toMatchObject({ ok: false, message: "Your session has ended. Sign in again." });
    expect((await twoFactorStatus(user.id)).enabled).toBe(false);

    const jar = await signedInJar(user.id);
    const empty = await post(confirmEnrollmentAction, { ok: false }, { enrollmentToken: enrollment.enrollmentToken, code: "" }, jar);
    expect(empty.state?.errors?.code?.[0]).toBe("Enter the code from your authenticator app.");
    const enrolled = await post(confirmEnrollmentAction, { ok: false }, { enrollmentToken: enrollment.enrollmentToken, code, password: PASSWORD }, jar);
    expect(enrolled.state?.recoveryCodes).toHaveLength(10);

    // Another signed-in user posting this user's enrollment form gets nothing of it.
    const someone = await db.user.create({ data: { email: `someone-${randomUUID()}@example.test` } });
    const stolen = await post(confirmEnrollmentAction, { ok: false }, { enrollmentToken: enrollment.enrollmentToken, code }, await signedInJar(someone.id));
    expect(stolen.state?.message).toMatch(/expired/);
    expect((await twoFactorStatus(someone.id)).enabled).toBe(false);

    const regenerated = await post(regenerateRecoveryCodesAction, { ok: false }, { proof: PASSWORD }, jar);
    expect(regenerated.state?.recoveryCodes).toHaveLength(10);
    const refused = await post(disableTwoFactorAction, { ok: false }, { proof: "not it at all" }, jar);
    expect(refused.state?.errors?.proof?.[0]).toMatch(/not your password/);
    const off = await post(disableTwoFactorAction, { ok: false }, { proof: PASSWORD }, jar);
    expect(off.state).toMatchObject({ ok: true });
    expect((await twoFactorStatus(user.id)).enabled).toBe(false);
  });
});

describe("no way around the second step", () => {
  it("sessions are made in three places only, each of which stops an account with two-factor at the challenge", () => {
    // A new caller of createSession (a sign-in after a password reset, say) must go through
    // challengeIfTwoFactor too; this test names every caller so a new one is looked at.
    const callers = ["app", "lib"].flatMap((root) =>
      readdirSync(root, { recursive: true, encoding: "utf8" })
        .filter((file) => /\.tsx?$/.test(file) && !file.startsWith("generated"))
        .map((file) => path.join(root, file))
        .filter((file) => file !== path.join("lib", "sessions", "create-session.ts") && /\bcreateSession\(/.test(readFileSync(file, "utf8"))),
    );
    expect(callers.sort()).toEqual([path.join("lib", "auth.ts"), path.join("lib", "two-factor", "sign-in-challenge.ts"), path.join("lib", "users", "sign-in-with-password.ts")]);
    for (const file of ["lib/auth.ts", "lib/users/sign-in-with-password.ts"]) expect(readFileSync(file, "utf8")).toMatch(/challengeIfTwoFactor|hasTwoFactor/);
  });
});
