import { describe, expect, it, vi } from "vitest";
import { generateApiKey } from "@/lib/api-keys/key-format";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { db } from "@/lib/db";
import { authenticateUser } from "@/lib/users/authenticate-user";
import { signUpUser } from "@/lib/users/sign-up";
import { createTestKey, createTestUser } from "../helpers/factories";

describe("what verification costs", () => {
  it("a malformed key never reaches the database; an unknown one is read once, then answered from the cache", async () => {
    // A spy that counts and passes every call through to the real SQLite database.
    const lookups = vi.spyOn(db.apiKey, "findUnique");
    const user = await createTestUser();
    const { secret } = await createTestKey(user.id);
    lookups.mockClear();
    for (const malformed of ["kp_live_x", secret.slice(0, -1), `${secret}x`, secret.toUpperCase(), "", "MV_SECRET_zz"]) await verifyApiKey(malformed);
    expect(lookups).not.toHaveBeenCalled();

    const unknown = generateApiKey("kp", "live").secret;
    await verifyApiKey(unknown);
    await verifyApiKey(unknown);
    expect(lookups).toHaveBeenCalledTimes(1);
    lookups.mockRestore();
  });
});

describe("sign-in failures", () => {
  it("an unknown email and a wrong password take about the same time (one bcrypt compare each)", async () => {
    const email = `timing-${Date.now()}@example.test`;
    await signUpUser({ email, password: "a long enough password" }, {});
    const time = async (candidate: string) => {
      const start = process.hrtime.bigint();
      expect(await authenticateUser(candidate, "the wrong password", {})).toBeNull();
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    await time("warm-up@example.test");
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 15; i++) {
      unknown.push(await time(`nobody-${i}@example.test`));
      wrong.push(await time(email));
    }
    const ratio = median(unknown) / median(wrong);
    // Without the dummy compare an unknown email answers in well under a tenth of the time.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
