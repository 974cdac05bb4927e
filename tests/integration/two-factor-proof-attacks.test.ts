import { beforeEach, describe, expect, it, vi } from "vitest";

// A thief holding a stolen session cookie of an account with two-factor on, guessing the
// account's password on the forms that ask for it (app/(dashboard)/account/actions.ts and
// app/(dashboard)/account/two-factor/actions.ts). next/headers stands in for one request;
// the database, the limiters and bcrypt are real.
vi.mock("next/headers", () => import("../fixtures/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

import { randomUUID } from "node:crypto";
import { generate } from "otplib";
import { changePasswordAction } from "@/app/(dashboard)/account/actions";
import { disableTwoFactorAction, regenerateRecoveryCodesAction } from "@/app/(dashboard)/account/two-factor/actions";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { createSession } from "@/lib/sessions/create-session";
import { encodeSessionToken, sessionCookieName } from "@/lib/sessions/session-cookie";
import { beginEnrollment, confirmEnrollment, twoFactorStatus } from "@/lib/two-factor/manage-two-factor";
import { signUpUser } from "@/lib/users/sign-up";
import { postForm, request } from "../fixtures/next-request";

const PASSWORD = "the owner's own long passphrase";

let ipCounter = 0;
const freshIp = () => `198.19.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

/** An account with two-factor on, and a cookie of one of its sessions (the stolen one). */
async function twoFactorAccountWithStolenCookie() {
  const email = `owner-${randomUUID()}@proof-attacks.test`;
  await signUpUser({ email, password: PASSWORD }, {});
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  const enrolledAt = new Date(Date.now() - 10 * 30_000);
  const enrollment = await beginEnrollment(user, enrolledAt);
  const code = await generate({ secret: enrollment.secret, epoch: Math.floor(enrolledAt.getTime() / 1000) });
  const enrolled = await confirmEnrollment(user.id, { enrollmentToken: enrollment.enrollmentToken, code, password: PASSWORD }, { actorId: user.id, ip: freshIp() }, enrolledAt);
  if (!enrolled.ok) throw new Error(`enrollment failed: ${JSON.stringify(enrolled)}`);
  const sessionId = await createSession({ userId: user.id, method: "credentials", deviceId: null });
  return { user, stolen: new Map([[sessionCookieName(), await encodeSessionToken(user.id, sessionId)]]) };
}

beforeEach(() => {
  request.cookies = new Map();
});

describe("a stolen cookie guessing the password of an account with two-factor on", () => {
  it(`gets ${env.SIGN_IN_ATTEMPTS_PER_ACCOUNT} password guesses in all: once the password form has used them up, the turn-off and new-codes forms refuse even the right password`, async () => {
    const { user, stolen } = await twoFactorAccountWithStolenCookie();
    for (let n = 0; n < env.SIGN_IN_ATTEMPTS_PER_ACCOUNT; n++) {
      const guess = await postForm(changePasswordAction, { ok: false }, { currentPassword: `guess number ${n}`, newPassword: "a brand new passphrase" }, stolen, freshIp());
      expect(guess.state?.errors?.currentPassword?.[0]).toBe("That is not your current password.");
    }
    // Guesses on the two-factor forms are password guesses too: they do not get a budget of their own.
    const more = await postForm(disableTwoFactorAction, { ok: false }, { proof: "one more password guess" }, stolen, freshIp());
    expect(more.state).toMatchObject({ ok: false, message: expect.stringMatching(/^Too many failed attempts/) });
    for (const action of [regenerateRecoveryCodesAction, disableTwoFactorAction]) {
      const right = await postForm(action, { ok: false }, { proof: PASSWORD }, stolen, freshIp());
      expect(right.state).toMatchObject({ ok: false, message: expect.stringMatching(/^Too many failed attempts/) });
    }
    expect((await twoFactorStatus(user.id)).enabled).toBe(true);
    // Every password guess is audited as one, wherever it was typed.
    expect(await db.auditEvent.count({ where: { targetUserId: user.id, action: "auth.sign_in_failed" } })).toBe(env.SIGN_IN_ATTEMPTS_PER_ACCOUNT);
  });
});
