import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Account, User } from "next-auth";
import { authOptions } from "@/lib/auth";
import { db } from "@/lib/db";
import { signUpUser } from "@/lib/users/sign-up";
import { signInWithOAuth, verifiedPrimaryEmail } from "@/lib/users/oauth-user";

const github = (email: string | null, providerAccountId = randomUUID()) => ({ email, name: "Octo Cat", provider: "github", providerAccountId });

describe("OAuth sign-in (GitHub)", () => {
  it("a new email makes a user linked to the provider account; the same account signs in as that user again", async () => {
    const email = `octo-${randomUUID()}@example.test`;
    const identity = github(email);
    const first = await signInWithOAuth(identity);
    expect(first).toMatchObject({ ok: true, role: "USER" });
    const again = await signInWithOAuth({ ...identity, email: email.toUpperCase() });
    expect(again).toEqual(first);
    const user = await db.user.findUniqueOrThrow({ where: { email }, include: { accounts: true } });
    expect(user.passwordHash).toBeNull();
    expect(user.accounts.map((account) => [account.provider, account.providerAccountId])).toEqual([["github", identity.providerAccountId]]);
  });

  it("never links a provider account to an existing user by email: that would hand the account to whoever claims the address", async () => {
    const email = `victim-${randomUUID()}@example.test`;
    await signUpUser({ email, password: "the victim's own password" }, {});
    expect(await signInWithOAuth(github(email))).toEqual({ ok: false, reason: "email_in_use" });
    const user = await db.user.findUniqueOrThrow({ where: { email }, include: { accounts: true } });
    expect(user.accounts).toEqual([]);
    expect(await db.auditEvent.count({ where: { targetUserId: user.id, action: "auth.sign_in" } })).toBe(0);
  });

  it("a linked account signs in without an email (GitHub may stop vouching for one); a new one needs a verified email", async () => {
    const identity = github(`linked-${randomUUID()}@example.test`);
    const created = await signInWithOAuth(identity);
    expect(await signInWithOAuth({ ...identity, email: null })).toEqual(created);
    expect(await signInWithOAuth(github(null))).toEqual({ ok: false, reason: "no_verified_email" });
  });

  it("a disabled user's linked account is refused", async () => {
    const identity = github(`disabled-${randomUUID()}@example.test`);
    const created = await signInWithOAuth(identity);
    expect(created.ok).toBe(true);
    await db.user.update({ where: { email: identity.email! }, data: { disabledAt: new Date() } });
    expect(await signInWithOAuth(identity)).toEqual({ ok: false, reason: "disabled" });
  });
});

describe("verifiedPrimaryEmail", () => {
  it("takes GitHub's primary address only when it is verified, and nothing from anything else", () => {
    expect(verifiedPrimaryEmail([{ email: "other@example.test", primary: false, verified: true }, { email: "me@example.test", primary: true, verified: true }])).toBe("me@example.test");
    // An unverified primary is refused even when a verified secondary exists: that one is not who the account says it is.
    expect(verifiedPrimaryEmail([{ email: "victim@example.test", primary: true, verified: false }, { email: "mine@example.test", primary: false, verified: true }])).toBeNull();
    expect(verifiedPrimaryEmail([{ email: "me@example.test", primary: false, verified: true }])).toBeNull();
    for (const junk of [null, undefined, {}, "me@example.test", [null], [{ primary: true, verified: "yes", email: "x@example.test" }], [{ primary: true, verified: true, email: 42 }]]) {
      expect(verifiedPrimaryEmail(junk)).toBeNull();
    }
  });
});

describe("next-auth's signIn callback", () => {
  const signIn = (user: Partial<User>, providerAccountId = randomUUID()) =>
    authOptions.callbacks!.signIn!({
      user: user as User,
      account: { provider: "github", type: "oauth", providerAccountId } as Account,
      profile: undefined,
    });

  it("sends each refusal back to the sign-in page with its own message, and lets a new verified email in", async () => {
    expect(await signIn({ email: null })).toBe("/sign-in?error=OAuthNoVerifiedEmail");
    const taken = `taken-${randomUUID()}@example.test`;
    await signUpUser({ email: taken, password: "a password long enough" }, {});
    expect(await signIn({ email: taken })).toBe("/sign-in?error=OAuthAccountNotLinked");
    const fresh: Partial<User> = { id: "from-github", email: `fresh-${randomUUID()}@example.test`, name: "Fresh" };
    expect(await signIn(fresh)).toBe(true);
    expect(fresh.id).toBe((await db.user.findUniqueOrThrow({ where: { email: fresh.email! } })).id);
  });
});
