import { describe, expect, it, vi } from "vitest";

// An outsider who uses the account page's own forms to mail someone else's inbox. The
// server actions are called as a browser's POST reaches them (tests/fixtures/next-request.ts
// stands in for next/headers); the database, the limiters and the outbox are real.
vi.mock("next/headers", () => import("../fixtures/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

import { randomUUID } from "node:crypto";
import { type AccountFormState, changeEmailAction } from "@/app/(dashboard)/account/actions";
import { db } from "@/lib/db";
import { createSession } from "@/lib/sessions/create-session";
import { encodeSessionToken, sessionCookieName } from "@/lib/sessions/session-cookie";
import { signUpUser } from "@/lib/users/sign-up";
import { postForm } from "../fixtures/next-request";

const PASSWORD = "the attacker's own passphrase";

/** A throwaway account of the attacker's (sign-up needs no mailbox), signed in: its email-change form, posted. */
async function throwawayAccount(n: number) {
  const email = `throwaway-${n}-${randomUUID()}@attacker.test`;
  await signUpUser({ email, password: PASSWORD }, { ip: `203.0.113.${n}`, userAgent: "vitest" });
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  const sessionId = await createSession({ userId: user.id, method: "credentials", deviceId: null });
  const jar = new Map([[sessionCookieName(), await encodeSessionToken(user.id, sessionId)]]);
  return (newEmail: string) => postForm<AccountFormState>(changeEmailAction, { ok: false }, { email: newEmail, password: PASSWORD }, jar, `203.0.113.${n}`).then((posted) => posted.state!);
}

const mailsTo = (domain: string) => db.outboxMessage.count({ where: { to: { endsWith: `@${domain}` } } });

describe("the email-change form cannot be used to flood an inbox", () => {
  it("throwaway accounts asking to move to one inbox (any case, any +tag) get at most 3 mails to it an hour; the next is refused next to the email field", async () => {
    const domain = `victim-${randomUUID().slice(0, 8)}.test`;
    // An address that has an account gets the "already has an account" mail; one that has not gets a link: both flood the same.
    await signUpUser({ email: `taken@${domain}`, password: "the victim's own passphrase" }, { ip: "203.0.113.200", userAgent: "vitest" });
    const before = await mailsTo(domain);
    const answers: AccountFormState[] = [];
    for (let n = 1; n <= 8; n++) {
      const post = await throwawayAccount(n);
      answers.push(await post(n % 2 ? `Bob+${n}@${domain.toUpperCase()}` : `bob@${domain}`));
      answers.push(await post(`taken+${n}@${domain}`));
    }
    expect((await mailsTo(domain)) - before).toBeLessThanOrEqual(6);
    const refused = answers.filter((answer) => !answer.ok);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) expect(answer.errors?.email?.[0]).toMatch(/^Too many changes/);
  });
});
