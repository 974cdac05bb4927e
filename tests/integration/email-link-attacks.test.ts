import { beforeEach, describe, expect, it, vi } from "vitest";

// A squatter signs up first with someone else's address (no mailbox needed) and waits for
// the address's owner to click the verification mail Keyport sends them. Each attack goes
// through the server action the page's button posts to, with the link's cookie as the
// owner's browser holds it; the database and the crypto are real.
vi.hoisted(() => {
  process.env.ADMIN_EMAILS = "root@squat.test";
});
vi.mock("next/headers", () => import("../fixtures/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

import { randomUUID } from "node:crypto";
import { confirmEmailAction } from "@/app/(auth)/verify-email/actions";
import { db } from "@/lib/db";
import { deletedEmailPlaceholder } from "@/lib/users/delete-account";
import { createSession } from "@/lib/sessions/create-session";
import { encodeSessionToken, sessionCookieName } from "@/lib/sessions/session-cookie";
import { requestEmailChange } from "@/lib/users/change-email";
import { signUpUser } from "@/lib/users/sign-up";
import { postForm, request } from "../fixtures/next-request";
import { tokenMailedTo } from "../helpers/outbox";

const SQUATTER_PASSWORD = "the squatter's own passphrase";
const LINK_COOKIE = "keyport-verify-link";

let ipCounter = 0;
const context = (actorId: string | null = null) => ({ actorId, ip: `198.18.40.${++ipCounter % 250}`, userAgent: "vitest" });
const address = (label: string) => `${label}-${randomUUID()}@squat.test`;

/** A browser signed in to `userId`: its cookie jar. */
async function signedInJar(userId: string): Promise<Map<string, string>> {
  const sessionId = await createSession({ userId, method: "credentials", ip: "192.0.2.60", userAgent: "vitest" });
  return new Map([[sessionCookieName(), await encodeSessionToken(userId, sessionId)]]);
}

/** The verify page's button, posted from a browser holding `jar` and the link's cookie. */
const pressVerify = (token: string, jar = new Map<string, string>()) => postForm(confirmEmailAction, {}, {}, new Map([...jar, [LINK_COOKIE, token]]));

beforeEach(() => {
  request.cookies = new Map();
  request.headers = new Headers({ "user-agent": "vitest" });
});

describe("a verification link works only for the account it was sent for, signed in", () => {
  it("the owner of an ADMIN_EMAILS address clicking a squatter's sign-up mail (not signed in) verifies and promotes nothing; the link is kept for the account itself", async () => {
    const stale = await db.user.findUnique({ where: { email: "root@squat.test" } });
    if (stale) await db.user.update({ where: { id: stale.id }, data: { email: deletedEmailPlaceholder(stale.id) } }); // a rerun on a shared database
    await signUpUser({ email: "root@squat.test", password: SQUATTER_PASSWORD }, context());
    const squatted = await db.user.findUniqueOrThrow({ where: { email: "root@squat.test" } });
    const token = await tokenMailedTo("root@squat.test", "verify_email");

    const ownersClick = await pressVerify(token);
    expect(ownersClick.redirect).toBeNull();
    expect(ownersClick.state).toEqual({ message: expect.stringMatching(/^Sign in to the account this link was sent for/) });
    expect(await db.user.findUniqueOrThrow({ where: { id: squatted.id } })).toMatchObject({ role: "USER", emailVerifiedAt: null });
    expect(await db.auditEvent.count({ where: { targetUserId: squatted.id, action: { in: ["auth.email_verified", "user.promoted"] } } })).toBe(0);
    // The cookie stays, so whoever signs in to the account can come back and press again.
    expect(ownersClick.cookies.has(LINK_COOKIE)).toBe(false);

    // Signed in to another account of their own: still nothing.
    const owner = await db.user.create({ data: { email: address("owner-other-account") } });
    const elsewhere = await pressVerify(token, await signedInJar(owner.id));
    expect(elsewhere.state).toEqual({ message: expect.stringMatching(/^Sign in to the account this link was sent for/) });
    expect(await db.user.findUniqueOrThrow({ where: { id: squatted.id } })).toMatchObject({ role: "USER", emailVerifiedAt: null });

    // The account's own session uses it (whoever holds it got the mail there): once.
    const own = await pressVerify(token, await signedInJar(squatted.id));
    expect(own.redirect).toBe("/dashboard");
    expect(own.cookies.get(LINK_COOKIE)).toBe("");
    expect(await db.user.findUniqueOrThrow({ where: { id: squatted.id } })).toMatchObject({ role: "ADMIN", emailVerifiedAt: expect.any(Date) });
    await db.user.update({ where: { id: squatted.id }, data: { role: "USER", email: deletedEmailPlaceholder(squatted.id) } });
  });

  it("an account moved to someone's address does not get it when the address's owner clicks the confirmation", async () => {
    const squatter = address("squatter");
    const victim = address("victim");
    await signUpUser({ email: squatter, password: SQUATTER_PASSWORD }, context());
    const account = await db.user.findUniqueOrThrow({ where: { email: squatter } });
    expect(await requestEmailChange({ userId: account.id, newEmail: victim, password: SQUATTER_PASSWORD }, context(account.id))).toEqual({ ok: true });
    const token = await tokenMailedTo(victim, "change_email");

    const victimsClick = await pressVerify(token);
    expect(victimsClick.state).toEqual({ message: expect.stringMatching(/^Sign in to the account this link was sent for/) });
    expect(await db.user.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ email: squatter, emailVerifiedAt: null });
    expect(await db.auditEvent.count({ where: { targetUserId: account.id, action: "auth.email_changed" } })).toBe(0);
  });
});
