import { describe, expect, it } from "vitest";
import { authOptions } from "@/lib/auth";
import { env } from "@/lib/env";
import { signUpUser } from "@/lib/users/sign-up";

type Authorize = (credentials: Record<string, string>, request: { headers: Record<string, string> }) => Promise<{ id: string } | null>;
// next-auth keeps the function given to CredentialsProvider in `options`; this is what its sign-in route calls.
const authorize = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;
const signIn = (email: string, password: string, ip: string) => authorize({ email, password }, { headers: { "x-forwarded-for": ip, "user-agent": "vitest" } });

describe("sign-in throttling per IP", () => {
  it(`after ${env.SIGN_IN_ATTEMPTS_PER_IP} failures from one IP, across many accounts, that IP is refused even the right password; other IPs are not`, async () => {
    const email = `throttle-${Date.now()}@example.test`;
    const password = "the right password, long enough";
    await signUpUser({ email, password }, {});
    const guesser = "203.0.113.7";

    // One guess each at many accounts: no account reaches its own limit, the IP does.
    for (let i = 0; i < env.SIGN_IN_ATTEMPTS_PER_IP; i++) {
      expect(await signIn(`victim-${i}-${Date.now()}@example.test`, "a wrong password guess", guesser)).toBeNull();
    }
    await expect(signIn(email, password, guesser)).rejects.toThrow("throttled");
    await expect(signIn(`another-${Date.now()}@example.test`, "a wrong password guess", guesser)).rejects.toThrow("throttled");

    // The same account from elsewhere signs in, and a success does not clear the guesser's IP.
    expect(await signIn(email, password, "198.51.100.20")).toMatchObject({ email });
    await expect(signIn(email, password, guesser)).rejects.toThrow("throttled");
  });
});
