import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

// Set before lib/env is read: ADMIN_EMAILS names an address, as an operator would, and
// verification is required (as it is whenever SMTP_URL is set).
vi.hoisted(() => {
  process.env.ADMIN_EMAILS = "chief@accounts.test";
  process.env.REQUIRE_EMAIL_VERIFICATION = "1";
});
// A database of this file's own: the outbox worker sends every due message, so test files
// sharing a database would deliver (and so take) each other's mail.
const ownDatabase = await vi.hoisted(async () => (await import("../fixtures/own-database")).useOwnDatabase("accounts"));

// Server actions read cookies and headers through next/headers, which exists only inside a
// Next request: this stands in for one browser's cookie jar and request headers. `after`
// (next/server) runs its work once the test asks, as Next runs it once the response is sent.
const jar = vi.hoisted(() => ({ cookies: new Map<string, string>(), headers: new Headers({ "user-agent": "vitest", "x-forwarded-for": "192.0.2.10" }), after: [] as (() => Promise<unknown>)[] }));
vi.mock("next/headers", () => ({
  headers: async () => jar.headers,
  cookies: async () => ({
    get: (name: string) => (jar.cookies.has(name) ? { name, value: jar.cookies.get(name)! } : undefined),
    set: (name: string, value: string, options?: { maxAge?: number }) => void (options?.maxAge === 0 ? jar.cookies.delete(name) : jar.cookies.set(name, value)),
  }),
}));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: (work: () => Promise<unknown>) => void jar.after.push(work),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

import { forgotPasswordAction } from "@/app/(auth)/forgot-password/actions";
import { createKey } from "@/app/(dashboard)/dashboard/keys/actions";
import * as keysRoute from "@/app/api/v1/keys/route";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { currentUser } from "@/lib/auth";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { deliverDueMail } from "@/lib/mail/outbox";
import { createMailTransport, type MailTransport } from "@/lib/mail/transport";
import { hashPassword } from "@/lib/passwords";
import { ACCOUNT_MAIL_LIMITS } from "@/lib/rate-limit/account-mail-throttle";
import { createSession } from "@/lib/sessions/create-session";
import { encodeSessionToken, sessionCookieName } from "@/lib/sessions/session-cookie";
import { authenticateUser } from "@/lib/users/authenticate-user";
import { requestEmailChange } from "@/lib/users/change-email";
import { deleteAccount, deletedEmailPlaceholder } from "@/lib/users/delete-account";
import { linkOpenedResponse } from "@/lib/users/link-token-cookie";
import { changePassword, createPasswordResetLink, RESET_REQUESTED_MESSAGE, requestPasswordReset, resetPassword } from "@/lib/users/reset-password";
import { signUpUser } from "@/lib/users/sign-up";
import { hashUserToken, TOKEN_LIFETIME_MS } from "@/lib/users/user-tokens";
import { confirmEmailToken, resendVerificationMail } from "@/lib/users/verify-email";
import { migrateDatabase } from "@/scripts/migrate-database";
import { startCli } from "../fixtures/cli";
import { linkIn, type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { createTestKey } from "../helpers/factories";

const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "a brand new passphrase 42";
const context = { ip: "192.0.2.10", userAgent: "vitest" };

let sink: SmtpSink;
let transport: MailTransport;

beforeAll(async () => {
  await migrateDatabase(ownDatabase.url);
  sink = await startSmtpSink();
  transport = createMailTransport({ smtpUrl: sink.url, from: "Keyport Test <keyport@accounts.test>", dir: "unused" });
});
afterAll(async () => {
  transport?.close();
  await sink?.close();
  await db.$disconnect();
  await ownDatabase.drop();
});
beforeEach(() => {
  jar.cookies.clear();
  jar.after.length = 0;
});

let counter = 0;
/** An address no other test (or run on a shared PostgreSQL database) uses. */
const address = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}@accounts.test`;

/** Sends what the outbox holds through real SMTP and returns the newest mail to `to` with `subject`. */
async function mailTo(to: string, subject: string) {
  await deliverDueMail({ transport });
  const found = sink.messages.filter((mail) => mail.to.includes(to) && mail.subject.includes(subject)).at(-1);
  if (!found) throw new Error(`no mail "${subject}" to ${to}; got: ${sink.messages.map((m) => `${m.to}: ${m.subject}`).join("; ")}`);
  return found;
}

/** The token in a mail's link (the part only the mail ever holds). */
const tokenIn = (link: string) => new URL(link).searchParams.get("token")!;

async function signUp(email: string, password = PASSWORD) {
  await signUpUser({ email, password }, context);
  return db.user.findUniqueOrThrow({ where: { email } });
}

async function verificationToken(email: string) {
  return tokenIn(linkIn(await mailTo(email, "Verify your email address"), "/verify-email/open"));
}

/** A browser signed in: a Session row and next-auth's cookie naming it. */
async function signInBrowser(userId: string) {
  const sessionId = await createSession({ userId, method: "credentials", ip: "192.0.2.10", userAgent: "vitest" });
  return { sessionId, cookie: await encodeSessionToken(userId, sessionId) };
}

/** Presents a saved session cookie, as a browser (or someone replaying it) would. */
async function userFor(cookie: string) {
  jar.cookies.set(sessionCookieName(), cookie);
  const user = await currentUser();
  jar.cookies.delete(sessionCookieName());
  return user;
}

describe("verified email", () => {
  it("sign-up mails a single-use link over SMTP; only the token's SHA-256 is stored; the link verifies once", async () => {
    const email = address("verify");
    const user = await signUp(email);
    expect(user.emailVerifiedAt).toBeNull();
    const token = await verificationToken(email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const rows = await db.userToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ purpose: "verify_email", tokenHash: hashUserToken(token), email, usedAt: null });
    expect(JSON.stringify(rows)).not.toContain(token);

    expect(await confirmEmailToken(token, user.id, context)).toMatchObject({ ok: true, purpose: "verify_email", email });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).toBeInstanceOf(Date);
    expect(await confirmEmailToken(token, user.id, context)).toEqual({ ok: false, reason: "invalid" });
    expect(await db.auditEvent.count({ where: { action: "auth.email_verified", targetUserId: user.id } })).toBe(1);
  });

  it("a verification link expires after 24 hours (clock passed in), and a re-sent link replaces the first", async () => {
    const email = address("expiry");
    const user = await signUp(email);
    const first = await verificationToken(email);
    expect(await resendVerificationMail(user.id)).toEqual({ ok: true });
    const second = await verificationToken(email);
    expect(second).not.toBe(first);
    expect(await confirmEmailToken(first, user.id, context)).toEqual({ ok: false, reason: "invalid" });
    const later = new Date(Date.now() + TOKEN_LIFETIME_MS.verify_email + 1000);
    expect(await confirmEmailToken(second, user.id, context, later)).toEqual({ ok: false, reason: "invalid" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).toBeNull();
  });

  it("'resend' is throttled per user", async () => {
    const user = await signUp(address("resend"));
    for (let i = 0; i < ACCOUNT_MAIL_LIMITS.verificationResendsPerUserPerHour; i++) expect(await resendVerificationMail(user.id)).toEqual({ ok: true });
    expect(await resendVerificationMail(user.id)).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("the link's route moves the token into an httpOnly cookie and redirects to a URL without it, sending no Referer", async () => {
    const token = "A".repeat(43);
    const response = linkOpenedResponse(new Request(`http://localhost/verify-email/open?token=${token}`), "/verify-email");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/verify-email");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("set-cookie")).toMatch(new RegExp(`^keyport-verify-link=${token}; Path=/verify-email; HttpOnly; SameSite=Lax`));
    // Anything but a token's shape is not stored at all.
    const bogus = linkOpenedResponse(new Request("http://localhost/verify-email/open?token=<script>"), "/verify-email");
    expect(bogus.headers.get("set-cookie")).toMatch(/^keyport-verify-link=; .*Max-Age=0/);
  });

  it("ADMIN_EMAILS promotes an address only when it is verified: not at sign-up, not at sign-in, at the link", async () => {
    const chief = await db.user.findUnique({ where: { email: "chief@accounts.test" } });
    if (chief) await db.user.update({ where: { id: chief.id }, data: { email: deletedEmailPlaceholder(chief.id) } }); // a rerun on a shared database
    const user = await signUp("chief@accounts.test");
    expect(user.role).toBe("USER");
    expect(await authenticateUser("chief@accounts.test", PASSWORD, context)).toMatchObject({ role: "USER" });
    const token = await verificationToken("chief@accounts.test");
    expect(await confirmEmailToken(token, user.id, context)).toMatchObject({ ok: true, promoted: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("ADMIN");
    expect(await db.auditEvent.count({ where: { action: "user.promoted", targetUserId: user.id } })).toBe(1);
    // A verified address that is not listed stays a user.
    const other = address("plain");
    const plain = await signUp(other);
    expect(await confirmEmailToken(await verificationToken(other), plain.id, context)).toMatchObject({ ok: true, promoted: false });
    expect((await db.user.findUniqueOrThrow({ where: { id: plain.id } })).role).toBe("USER");
    await db.user.update({ where: { id: user.id }, data: { role: "USER", email: deletedEmailPlaceholder(user.id) } });
  });
});

describe("an unverified account cannot create keys, on every path", () => {
  it("the dashboard's action, /api/v1/keys and the CLI all refuse; after verifying, the dashboard creates", async () => {
    const email = address("unverified");
    const user = await signUp(email);
    // A key it holds from before verification was required (written past the policy on purpose).
    env.REQUIRE_EMAIL_VERIFICATION = false;
    const manager = await createTestKey(user.id, { scopes: ["keys:write", "me:read"] });
    env.REQUIRE_EMAIL_VERIFICATION = true;

    await expect(createApiKey({ ownerId: user.id, name: "lib", environment: "test", scopes: ["me:read"] }, { ...context, actorId: user.id })).rejects.toMatchObject({ code: "email_unverified" });

    const { cookie } = await signInBrowser(user.id);
    jar.cookies.set(sessionCookieName(), cookie);
    const form = new FormData();
    form.set("name", "from the dashboard");
    form.set("environment", "test");
    form.append("scopes", "me:read");
    form.set("expiry", "never");
    const refused = await createKey({ ok: false }, form);
    expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/^Verify your email address/) });
    expect(refused.secret).toBeUndefined();

    const api = await keysRoute.POST(
      new Request("http://localhost/api/v1/keys", { method: "POST", headers: { authorization: `Bearer ${manager.secret}`, "content-type": "application/json" }, body: JSON.stringify({ name: "api", scopes: ["me:read"] }) }),
      { params: Promise.resolve({}) },
    );
    expect(api.status).toBe(403);
    expect(await api.json()).toEqual({ error: { code: "email_unverified", message: expect.stringMatching(/^Verify your email address/) } });

    const cli = await startCli(env.DATABASE_URL, ["keys", "create", "--user", email, "--name", "cli", "--scopes", "me:read"], { env: { REQUIRE_EMAIL_VERIFICATION: "1" } }).done;
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/Verify your email address/);
    expect(await db.apiKey.count({ where: { ownerId: user.id } })).toBe(1);

    expect(await confirmEmailToken(await verificationToken(email), user.id, context)).toMatchObject({ ok: true });
    const created = await createKey({ ok: false }, form);
    expect(created).toMatchObject({ ok: true, secret: expect.stringMatching(/^kp_test_/) });
  }, 30_000);
});

describe("password recovery", () => {
  it("the same answer whether or not the address has an account; only the account gets a mail", async () => {
    const email = address("forgot");
    await signUp(email);
    const unknown = address("nobody");
    const ask = async (typed: string) => {
      const form = new FormData();
      form.set("email", typed);
      const state = await forgotPasswordAction({ email: "" }, form);
      for (const work of jar.after.splice(0)) await work();
      return state;
    };
    const known = await ask(email);
    const stranger = await ask(unknown);
    expect(known).toEqual({ email, sent: true, message: RESET_REQUESTED_MESSAGE });
    expect(stranger).toEqual({ ...known, email: unknown });
    await mailTo(email, "Reset your password");
    expect(sink.messages.some((mail) => mail.to.includes(unknown))).toBe(false);
    expect(await db.userToken.count({ where: { email: unknown } })).toBe(0);
  });

  it("throttles per address (whether or not it has an account) and per IP", async () => {
    const form = (email: string) => {
      const data = new FormData();
      data.set("email", email);
      return data;
    };
    const unknown = address("hammered");
    jar.headers = new Headers({ "user-agent": "vitest", "x-forwarded-for": "198.51.100.7" });
    for (let i = 0; i < ACCOUNT_MAIL_LIMITS.resetPerAddressPerHour; i++) expect((await forgotPasswordAction({ email: "" }, form(unknown))).sent).toBe(true);
    const throttled = await forgotPasswordAction({ email: "" }, form(unknown));
    expect(throttled.sent).toBeUndefined();
    expect(throttled.errors?.email?.[0]).toMatch(/^Too many requests/);

    jar.headers = new Headers({ "user-agent": "vitest", "x-forwarded-for": "198.51.100.8" });
    for (let i = 0; i < ACCOUNT_MAIL_LIMITS.resetPerIpPerHour; i++) expect((await forgotPasswordAction({ email: "" }, form(address("spray")))).sent).toBe(true);
    expect((await forgotPasswordAction({ email: "" }, form(address("spray")))).errors?.email?.[0]).toMatch(/^Too many requests/);
    jar.headers = new Headers({ "user-agent": "vitest", "x-forwarded-for": "192.0.2.10" });
    jar.after.length = 0;
  });

  it("a reset link works once, within 30 minutes, and is stored hashed", async () => {
    const email = address("reset-once");
    const user = await signUp(email);
    await requestPasswordReset(email, context);
    const token = tokenIn(linkIn(await mailTo(email, "Reset your password"), "/reset-password/open"));
    const row = await db.userToken.findFirstOrThrow({ where: { userId: user.id, purpose: "reset_password" } });
    expect(row.tokenHash).toBe(hashUserToken(token));
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(30 * 60 * 1000);

    const late = new Date(row.createdAt.getTime() + 30 * 60 * 1000 + 1);
    expect(await resetPassword(token, NEW_PASSWORD, context, late)).toBe(false);
    expect(await resetPassword(token, NEW_PASSWORD, context)).toBe(true);
    expect(await resetPassword(token, "yet another passphrase 7", context)).toBe(false);
    expect(await authenticateUser(email, NEW_PASSWORD, context)).toMatchObject({ id: user.id });
    expect(await authenticateUser(email, PASSWORD, context)).toBeNull();
  });

  it("a reset signs out EVERY session (a replayed old cookie is refused), is audited and sends a security notice", async () => {
    const email = address("reset-sessions");
    const user = await signUp(email);
    const [laptop, phone] = [await signInBrowser(user.id), await signInBrowser(user.id)];
    expect(await userFor(laptop.cookie)).toMatchObject({ id: user.id });
    await requestPasswordReset(email, context);
    const token = tokenIn(linkIn(await mailTo(email, "Reset your password"), "/reset-password/open"));
    expect(await resetPassword(token, NEW_PASSWORD, context)).toBe(true);
    expect(await userFor(laptop.cookie)).toBeNull();
    expect(await userFor(phone.cookie)).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "auth.password_reset", targetUserId: user.id } })).toBe(1);
    expect(await db.notification.count({ where: { userId: user.id, kind: "password_reset" } })).toBe(1);
    expect((await mailTo(email, "Your password was reset")).text).not.toContain(token);
  });

  it("a reset repairs an account whose old password was longer than 72 bytes", async () => {
    const email = address("long");
    const long = "ü".repeat(40); // 80 bytes: sign-up refuses it today, older accounts may hold one
    const user = await db.user.create({ data: { email, passwordHash: await hashPassword(long) } });
    expect(await authenticateUser(email, long, context)).toBeNull();
    const link = await createPasswordResetLink(email, { ...context, actorId: null });
    expect(await resetPassword(tokenIn(link!), NEW_PASSWORD, context)).toBe(true);
    expect(await authenticateUser(email, NEW_PASSWORD, context)).toMatchObject({ id: user.id });
  });

  it("a reset to a password over 72 bytes is refused and leaves the link usable", async () => {
    const email = address("reset-long");
    await signUp(email);
    const link = await createPasswordResetLink(email, { ...context, actorId: null });
    expect(await resetPassword(tokenIn(link!), "ü".repeat(40), context)).toBe(false);
    expect(await resetPassword(tokenIn(link!), NEW_PASSWORD, context)).toBe(true);
  });
});

describe("changing the password", () => {
  it("needs the current password, signs out every OTHER session, audits and notifies", async () => {
    const email = address("change");
    const user = await signUp(email);
    const [here, elsewhere] = [await signInBrowser(user.id), await signInBrowser(user.id)];
    const wrong = await changePassword({ userId: user.id, sessionId: here.sessionId, currentPassword: "not my password", newPassword: NEW_PASSWORD }, { ...context, actorId: user.id });
    expect(wrong).toEqual({ ok: false, reason: "wrong_password" });
    expect(await userFor(elsewhere.cookie)).toMatchObject({ id: user.id });

    const changed = await changePassword({ userId: user.id, sessionId: here.sessionId, currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, { ...context, actorId: user.id });
    expect(changed).toEqual({ ok: true, sessionsEnded: 1 });
    expect(await userFor(here.cookie)).toMatchObject({ id: user.id });
    expect(await userFor(elsewhere.cookie)).toBeNull();
    expect(await authenticateUser(email, NEW_PASSWORD, context)).toMatchObject({ id: user.id });
    expect(await db.auditEvent.count({ where: { action: "auth.password_changed", targetUserId: user.id } })).toBe(1);
    await mailTo(email, "Your password changed");
  });
});

describe("changing the email address", () => {
  it("mails a link to the new address; the address changes only when it is used; the old address is told", async () => {
    const oldEmail = address("old");
    const newEmail = address("new");
    const user = await signUp(oldEmail);
    const wrong = await requestEmailChange({ userId: user.id, newEmail, password: "wrong password!" }, { ...context, actorId: user.id });
    expect(wrong).toMatchObject({ ok: false, field: "password" });

    expect(await requestEmailChange({ userId: user.id, newEmail, password: PASSWORD }, { ...context, actorId: user.id })).toEqual({ ok: true });
    const token = tokenIn(linkIn(await mailTo(newEmail, "Confirm your new email address"), "/verify-email/open"));
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(oldEmail);

    expect(await confirmEmailToken(token, user.id, context)).toMatchObject({ ok: true, purpose: "change_email", email: newEmail });
    const changed = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(changed.email).toBe(newEmail);
    expect(changed.emailVerifiedAt).toBeInstanceOf(Date);
    const notice = await mailTo(oldEmail, "Your email address changed");
    expect(notice.text).toContain(newEmail);
    expect(await db.notification.count({ where: { userId: user.id, kind: "email_changed" } })).toBe(1);
    expect(await confirmEmailToken(token, user.id, context)).toEqual({ ok: false, reason: "invalid" });
    // The sign-up's link named the old address: it no longer verifies anything.
    expect(await authenticateUser(newEmail, PASSWORD, context)).toMatchObject({ id: user.id });
  });

  it("an address that already has an account gets a notice instead of a link, and the page answers the same", async () => {
    const mine = address("mine");
    const theirs = address("theirs");
    const user = await signUp(mine);
    await signUp(theirs);
    expect(await requestEmailChange({ userId: user.id, newEmail: theirs, password: PASSWORD }, { ...context, actorId: user.id })).toEqual({ ok: true });
    const mail = await mailTo(theirs, "This address already has an account");
    expect(mail.text).not.toMatch(/token=/);
    expect(await db.userToken.count({ where: { userId: user.id, purpose: "change_email" } })).toBe(0);
  });
});

describe("deleting an account", () => {
  it("needs the password; revokes personal keys (refused at once), keeps team keys and audit events, ends sessions, frees the address", async () => {
    const email = address("leaver");
    const user = await signUp(email);
    await db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
    const personal = await createTestKey(user.id);
    const teamKey = await createTestKey(user.id, { name: "team key" });
    const team = await db.team.create({ data: { slug: `team-${Date.now().toString(36)}-${++counter}`, name: "Team" } });
    await db.apiKey.update({ where: { id: teamKey.key.id }, data: { teamId: team.id } });
    expect((await verifyApiKey(personal.secret)).ok).toBe(true);
    const browser = await signInBrowser(user.id);

    expect(await deleteAccount({ userId: user.id, password: "not the password" }, { ...context, actorId: user.id })).toEqual({ ok: false, field: "password", reason: "wrong_password" });
    expect(await deleteAccount({ userId: user.id, password: PASSWORD }, { ...context, actorId: user.id })).toEqual({ ok: true, keysRevoked: 1 });

    const deleted = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(deleted).toMatchObject({ email: deletedEmailPlaceholder(user.id), passwordHash: null, deletedAt: expect.any(Date) });
    expect(await userFor(browser.cookie)).toBeNull();
    expect(await verifyApiKey(personal.secret)).toMatchObject({ ok: false, reason: "revoked" });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: teamKey.key.id } })).revokedAt).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "user.deleted", targetUserId: user.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "key.created", targetUserId: user.id } })).toBe(2);
    await expect(createApiKey({ ownerId: user.id, name: "after", environment: "test", scopes: ["me:read"] }, { ...context, actorId: user.id })).rejects.toMatchObject({ code: "not_found" });

    // The address is free again: a new account, with nothing of the old one.
    const again = await signUp(email);
    expect(again.id).not.toBe(user.id);
    expect(await authenticateUser(email, PASSWORD, context)).toMatchObject({ id: again.id });
  });

  it("is refused while the user is a team's only owner; with another owner it goes, and the user leaves the team (audited there)", async () => {
    const owner = await signUp(address("sole-owner"));
    const other = await signUp(address("co-owner"));
    const team = await db.team.create({ data: { slug: `sole-${Date.now().toString(36)}-${++counter}`, name: "Sole Team" } });
    await db.teamMember.create({ data: { teamId: team.id, userId: owner.id, role: "owner" } });
    await db.teamMember.create({ data: { teamId: team.id, userId: other.id, role: "developer" } });

    expect(await deleteAccount({ userId: owner.id, password: PASSWORD }, { ...context, actorId: owner.id })).toEqual({
      ok: false,
      field: "team",
      reason: "sole_owner",
      teams: [{ slug: team.slug, name: "Sole Team" }],
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.id } })).deletedAt).toBeNull();

    await db.teamMember.update({ where: { teamId_userId: { teamId: team.id, userId: other.id } }, data: { role: "owner" } });
    expect(await deleteAccount({ userId: owner.id, password: PASSWORD }, { ...context, actorId: owner.id })).toMatchObject({ ok: true });
    expect(await db.teamMember.findMany({ where: { teamId: team.id }, select: { userId: true } })).toEqual([{ userId: other.id }]);
    expect(await db.auditEvent.count({ where: { action: "team.member_left", teamId: team.id, targetUserId: owner.id } })).toBe(1);
  });

  it("two co-owners deleting their accounts at the same moment leave the team one owner", async () => {
    const first = await signUp(address("race-a"));
    const second = await signUp(address("race-b"));
    const team = await db.team.create({ data: { slug: `race-${Date.now().toString(36)}-${++counter}`, name: "Race Team" } });
    await db.teamMember.createMany({ data: [first, second].map((user) => ({ teamId: team.id, userId: user.id, role: "owner" as const })) });
    const outcomes = await Promise.all([first, second].map((user) => deleteAccount({ userId: user.id, password: PASSWORD }, { ...context, actorId: user.id })));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(await db.teamMember.count({ where: { teamId: team.id, role: "owner", user: { deletedAt: null } } })).toBe(1);
  });

  it("an account with no password (GitHub only) is confirmed by typing its email", async () => {
    const email = address("oauth-leaver");
    const user = await db.user.create({ data: { email, emailVerifiedAt: new Date() } });
    expect(await deleteAccount({ userId: user.id, confirmEmail: "someone@else.test" }, { ...context, actorId: user.id })).toMatchObject({ ok: false, field: "confirmEmail" });
    expect(await deleteAccount({ userId: user.id, confirmEmail: ` ${email.toUpperCase()} ` }, { ...context, actorId: user.id })).toMatchObject({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).deletedAt).toBeInstanceOf(Date);
  });
});

describe("the CLI", () => {
  it("`users verify-email` verifies an address on the operator's word, audited", async () => {
    const email = address("cli-verify");
    const user = await signUp(email);
    const run = await startCli(env.DATABASE_URL, ["users", "verify-email", email.toUpperCase()]).done;
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`${email} is verified.`);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).toBeInstanceOf(Date);
    expect(await db.auditEvent.count({ where: { action: "auth.email_verified", targetUserId: user.id } })).toBe(1);
    // The mailed link is spent: it would only verify the address again.
    expect(await db.userToken.count({ where: { userId: user.id, purpose: "verify_email", usedAt: null } })).toBe(0);
    const unknown = await startCli(env.DATABASE_URL, ["users", "verify-email", address("nobody")]).done;
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: No user with the email/);
  });

  it("`users reset-password` prints a one-time link on stdout alone; it works once and its token is nowhere else", async () => {
    const email = address("cli-reset");
    const user = await signUp(email);
    const run = await startCli(env.DATABASE_URL, ["users", "reset-password", email]).done;
    expect(run.code).toBe(0);
    const link = run.stdout.trim();
    expect(link).toMatch(/^http:\/\/localhost:\d+\/reset-password\/open\?token=[A-Za-z0-9_-]{43}$/);
    const token = tokenIn(link);
    expect(run.stderr).not.toContain(token);
    expect(run.stderr).toMatch(/works once, for 30 minutes/);
    const row = await db.userToken.findFirstOrThrow({ where: { userId: user.id, purpose: "reset_password" } });
    expect(row.tokenHash).toBe(hashUserToken(token));
    expect(await db.auditEvent.count({ where: { action: "auth.password_reset_requested", targetUserId: user.id, details: { contains: "operator" } } })).toBe(1);
    expect(await resetPassword(token, NEW_PASSWORD, context)).toBe(true);
    expect(await resetPassword(token, NEW_PASSWORD, context)).toBe(false);
  });
});
