import { beforeEach, describe, expect, it, vi } from "vitest";

// ADMIN_EMAILS names an address, as an operator would; nobody has verified it. Set before lib/env is read.
vi.hoisted(() => {
  process.env.ADMIN_EMAILS = "boss@example.com";
  process.env.SIGN_UPS_PER_IP_PER_HOUR = "5";
});

// The server actions read headers and set the session cookie through next/headers, which
// only exists inside a Next request; this stands in for one request's headers and cookie jar.
const request = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({
    get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name)! } : undefined),
    set: (name: string, value: string) => void request.cookies.set(name, value),
  }),
}));

import { randomUUID } from "node:crypto";
import bcrypt from "bcrypt";
import { type AuthFormState, signInAction, signUpAction } from "@/app/(auth)/actions";
import { authOptions } from "@/lib/auth";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { SignInThrottledError } from "@/lib/rate-limit/sign-in-throttle";
import { decodeSessionToken, sessionCookieName } from "@/lib/sessions/session-cookie";
import { authenticateUser } from "@/lib/users/authenticate-user";
import { signUpUser } from "@/lib/users/sign-up";
import { newPasswordSchema } from "@/lib/validations/auth";

const PASSWORD = "a long and unusual passphrase";
const EMPTY: AuthFormState = { values: { email: "", name: "" } };

type Authorize = (credentials: Record<string, string>, request: { headers: Record<string, string> }) => Promise<{ id: string } | null>;
const authorize = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;

let ipCounter = 0;
/** A fresh client address, so one test's throttle points do not spill into another's. */
const freshIp = () => `198.18.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

/** One request to a server action, as the browser's form post would make it: what it answered and which cookies it set. */
async function post(action: (state: AuthFormState, data: FormData) => Promise<AuthFormState>, fields: Record<string, string>, ip: string, jar = new Map<string, string>()) {
  request.headers = new Headers({ "user-agent": "vitest", "x-forwarded-for": ip });
  request.cookies = new Map(jar);
  let redirect: string | null = null;
  let state: AuthFormState | null = null;
  try {
    state = await action(EMPTY, form(fields));
  } catch (error) {
    const digest = (error as { digest?: string }).digest;
    if (typeof digest !== "string" || !digest.startsWith("NEXT_REDIRECT;")) throw error;
    redirect = digest.split(";")[2];
  }
  // Only what this answer set (a browser would merge it into its jar).
  const set = new Map([...request.cookies].filter(([name, value]) => jar.get(name) !== value));
  return { redirect, state, cookies: set };
}

const failedSignIns = (userId: string) => db.auditEvent.count({ where: { action: "auth.sign_in_failed", targetUserId: userId } });

beforeEach(() => {
  request.cookies = new Map();
});

describe("ADMIN_EMAILS never promotes an unverified address", () => {
  it("signing up as 'BOSS@example.com ' with ADMIN_EMAILS=boss@example.com makes a regular user, and signing in does not promote it", async () => {
    expect(env.ADMIN_EMAILS).toEqual(["boss@example.com"]);
    const answer = await post(signUpAction, { email: "BOSS@example.com ", password: PASSWORD }, freshIp());
    expect(answer.redirect).toBe("/dashboard");
    const boss = await db.user.findUniqueOrThrow({ where: { email: "boss@example.com" } });
    expect(boss.role).toBe("USER");
    expect(await authenticateUser("boss@example.com", PASSWORD, {})).toMatchObject({ role: "USER" });
    expect((await post(signInAction, { email: "boss@example.com", password: PASSWORD }, freshIp())).redirect).toBe("/dashboard");
    expect((await db.user.findUniqueOrThrow({ where: { email: "boss@example.com" } })).role).toBe("USER");
    expect(await db.auditEvent.count({ where: { action: "user.promoted", targetUserId: boss.id } })).toBe(0);
  });
});

describe("sign-in limits hold under concurrency", () => {
  it(`40 concurrent wrong passwords for one account (limit ${env.SIGN_IN_ATTEMPTS_PER_ACCOUNT}) run at most ${env.SIGN_IN_ATTEMPTS_PER_ACCOUNT} bcrypt compares and get at most ${env.SIGN_IN_ATTEMPTS_PER_ACCOUNT} non-throttled answers`, async () => {
    const email = `concurrent-${randomUUID()}@example.test`;
    await signUpUser({ email, password: PASSWORD }, {});
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    // 40 attempts from 40 addresses at once: only the account's own limit can stop them.
    const answers = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => authorize({ email, password: `wrong guess ${i}` }, { headers: { "x-forwarded-for": freshIp(), "user-agent": "vitest" } })),
    );
    const throttled = answers.filter((answer) => answer.status === "rejected" && answer.reason instanceof SignInThrottledError).length;
    const refused = answers.filter((answer) => answer.status === "fulfilled" && answer.value === null).length;
    expect(throttled + refused).toBe(40);
    expect(refused).toBeLessThanOrEqual(env.SIGN_IN_ATTEMPTS_PER_ACCOUNT);
    // Every compare that ran is audited as a failed sign-in: that count is the number of bcrypt compares.
    expect(await failedSignIns(user.id)).toBeLessThanOrEqual(env.SIGN_IN_ATTEMPTS_PER_ACCOUNT);
    expect(await failedSignIns(user.id)).toBe(refused);
    // And the right password now waits out the lock too.
    await expect(authorize({ email, password: PASSWORD }, { headers: { "x-forwarded-for": freshIp() } })).rejects.toThrow("throttled");
  });

  it(`40 concurrent guesses at 40 accounts from one IP (limit ${env.SIGN_IN_ATTEMPTS_PER_IP}) get at most ${env.SIGN_IN_ATTEMPTS_PER_IP} compares`, async () => {
    const ip = freshIp();
    const stamp = randomUUID();
    const answers = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => authorize({ email: `spray-${i}-${stamp}@example.test`, password: "wrong guess" }, { headers: { "x-forwarded-for": ip } })),
    );
    const refused = answers.filter((answer) => answer.status === "fulfilled" && answer.value === null).length;
    expect(refused).toBeLessThanOrEqual(env.SIGN_IN_ATTEMPTS_PER_IP);
    expect(answers.length - refused).toBeGreaterThanOrEqual(40 - env.SIGN_IN_ATTEMPTS_PER_IP);
  });

  it("a success gives its point back: signing in correctly over and over never throttles the account", async () => {
    const email = `regular-${randomUUID()}@example.test`;
    await signUpUser({ email, password: PASSWORD }, {});
    const ip = freshIp();
    for (let i = 0; i < env.SIGN_IN_ATTEMPTS_PER_ACCOUNT + 5; i++) {
      expect(await authorize({ email, password: PASSWORD }, { headers: { "x-forwarded-for": ip } })).toMatchObject({ email });
    }
  });
});

describe("passwords are limited in bytes, as bcrypt reads them", () => {
  it("a new password longer than 72 bytes is refused with a clear message, even under 72 characters", () => {
    const accented = "é".repeat(37); // 37 characters, 74 bytes
    const result = newPasswordSchema.safeParse(accented);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.message).join(" ")).toContain("at most 72 bytes");
    expect(newPasswordSchema.safeParse("é".repeat(36)).success).toBe(true); // exactly 72 bytes
    expect(newPasswordSchema.safeParse(`${"a".repeat(62)}${"b".repeat(10)}`).success).toBe(true);
  });

  it("a long non-ASCII password cannot sign in with a different tail", async () => {
    const email = `bytes-${randomUUID()}@example.test`;
    // An account whose hash covers 72 bytes of a longer password (bcrypt keeps no more).
    const stored = "ü".repeat(36); // 72 bytes
    await db.user.create({ data: { email, passwordHash: await bcrypt.hash(stored, 4) } });
    expect(await authenticateUser(email, stored, {})).toMatchObject({ email });
    for (const other of [`${stored}x`, `${stored}ü`, `${stored}${"another tail entirely".repeat(3)}`]) {
      expect(await bcrypt.compare(other, (await db.user.findUniqueOrThrow({ where: { email } })).passwordHash!)).toBe(true); // what bcrypt alone would accept
      expect(await authenticateUser(email, other, {})).toBeNull();
    }
  });

  it("sign-up refuses a 74-byte password next to the field", async () => {
    const answer = await post(signUpAction, { email: `long-${randomUUID()}@example.test`, password: "é".repeat(37) }, freshIp());
    expect(answer.redirect).toBeNull();
    expect(answer.state!.errors!.password!.join(" ")).toContain("at most 72 bytes");
  });
});

describe("sign-up does not tell which emails have accounts", () => {
  it("a sign-up for a taken email with its owner's password answers exactly as a new sign-up: same redirect, same cookie names, a valid session", async () => {
    const taken = `taken-${randomUUID()}@example.test`;
    const fresh = `fresh-${randomUUID()}@example.test`;
    const first = await post(signUpAction, { email: taken, password: PASSWORD }, freshIp());
    const again = await post(signUpAction, { email: taken, password: PASSWORD }, freshIp());
    const newOne = await post(signUpAction, { email: fresh, password: PASSWORD }, freshIp());
    for (const answer of [first, again, newOne]) {
      expect(answer.state).toBeNull();
      expect(answer.redirect).toBe("/dashboard");
      // The session, and the device cookie every new browser gets at its first sign-in (lib/sessions/device-cookie.ts).
      expect([...answer.cookies.keys()].sort()).toEqual(["keyport-device", sessionCookieName()].sort());
      expect(await decodeSessionToken(answer.cookies.get(sessionCookieName()))).toMatchObject({ sessionId: expect.any(String) });
    }
  });

  it("a sign-up for a taken email with another password changes nothing and answers as the sign-in form does, after the same bcrypt work", async () => {
    const email = `victim-${randomUUID()}@example.test`;
    await post(signUpAction, { email, password: PASSWORD, name: "Victim" }, freshIp());
    const before = await db.user.findUniqueOrThrow({ where: { email } });
    const answer = await post(signUpAction, { email, password: "the attacker's own password", name: "Attacker" }, freshIp());
    expect(answer.redirect).toBeNull();
    expect(answer.cookies.size).toBe(0);
    expect(answer.state).toEqual({
      values: { email, name: "Attacker" },
      errors: { email: ["Could not create an account with this email and password. If the email is yours, sign in instead."] },
    });
    const after = await db.user.findUniqueOrThrow({ where: { email } });
    expect(after).toEqual(before);
    // The password was compared once, through the ordinary (throttled) sign-in path.
    expect(await failedSignIns(before.id)).toBe(1);
  });

  it("sign-up answers and the kept form values never carry the password", async () => {
    const answer = await post(signUpAction, { email: "not an email", password: "secret-password-that-must-not-return" }, freshIp());
    expect(JSON.stringify(answer.state)).not.toContain("secret-password-that-must-not-return");
    const signIn = await post(signInAction, { email: `nobody-${randomUUID()}@example.test`, password: "secret-password-that-must-not-return" }, freshIp());
    expect(JSON.stringify(signIn.state)).not.toContain("secret-password-that-must-not-return");
  });

  it(`sign-ups are limited per IP (SIGN_UPS_PER_IP_PER_HOUR=${env.SIGN_UPS_PER_IP_PER_HOUR}); other addresses are not affected`, async () => {
    const ip = freshIp();
    for (let i = 0; i < env.SIGN_UPS_PER_IP_PER_HOUR; i++) {
      expect((await post(signUpAction, { email: `burst-${i}-${randomUUID()}@example.test`, password: PASSWORD }, ip)).redirect).toBe("/dashboard");
    }
    const refusedEmail = `burst-refused-${randomUUID()}@example.test`;
    const refused = await post(signUpAction, { email: refusedEmail, password: PASSWORD }, ip);
    expect(refused.redirect).toBeNull();
    expect(refused.state!.message).toBe("Too many sign-ups from your network. Wait an hour, then try again.");
    expect(await db.user.findUnique({ where: { email: refusedEmail } })).toBeNull();
    expect((await post(signUpAction, { email: refusedEmail, password: PASSWORD }, freshIp())).redirect).toBe("/dashboard");
  });
});

describe("the sign-in form's action", () => {
  it("signs in with next-auth's own cookie and goes to a same-origin callbackUrl only", async () => {
    const email = `form-${randomUUID()}@example.test`;
    await signUpUser({ email, password: PASSWORD }, {});
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const ok = await post(signInAction, { email, password: PASSWORD, callbackUrl: "/dashboard/keys/x?y=1" }, freshIp());
    expect(ok.redirect).toBe("/dashboard/keys/x?y=1");
    expect(await decodeSessionToken(ok.cookies.get(sessionCookieName()))).toMatchObject({ userId: user.id });
    const hostile = await post(signInAction, { email, password: PASSWORD, callbackUrl: "/\t/evil.example/x" }, freshIp());
    expect(hostile.redirect).toBe("/dashboard");
    // Signing in again from a browser that holds a session ends that session: one browser, one row.
    const jar = new Map(ok.cookies);
    const again = await post(signInAction, { email, password: PASSWORD }, freshIp(), jar);
    const first = await decodeSessionToken(ok.cookies.get(sessionCookieName()));
    const second = await decodeSessionToken(again.cookies.get(sessionCookieName()));
    expect(second!.sessionId).not.toBe(first!.sessionId);
    expect((await db.session.findUniqueOrThrow({ where: { id: first!.sessionId } })).revokedAt).not.toBeNull();
    expect((await db.session.findUniqueOrThrow({ where: { id: second!.sessionId } })).revokedAt).toBeNull();
    const wrong = await post(signInAction, { email, password: "not the password" }, freshIp());
    expect(wrong.redirect).toBeNull();
    expect(wrong.cookies.size).toBe(0);
    expect(wrong.state!.errors!.password).toEqual(["Email or password is incorrect."]);
  });
});
