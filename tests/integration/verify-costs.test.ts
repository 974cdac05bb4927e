import bcrypt from "bcrypt";
import { describe, expect, it, vi } from "vitest";
import { generateApiKey } from "@/lib/api-keys/key-format";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { authenticateUser } from "@/lib/users/authenticate-user";
import { signUpUser } from "@/lib/users/sign-up";
import { createTestKey, createTestUser } from "../helpers/factories";

describe("what verification costs", () => {
  it("a malformed key never reaches the database; an unknown one is read once, then answered from the cache", async () => {
    // A spy that counts and passes every call through to the real SQLite database.
    const lookups = vi.spyOn(db, "$queryRaw");
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
  it("an unknown email and a wrong password cost the same: one bcrypt compare at the configured cost each", async () => {
    const email = `timing-${Date.now()}@example.test`;
    await signUpUser({ email, password: "a long enough password" }, {});
    await authenticateUser("warm-up@example.test", "the wrong password", {});
    const compares = vi.spyOn(bcrypt, "compare");
    const costOfEachCompare = async (candidate: string) => {
      compares.mockClear();
      expect(await authenticateUser(candidate, "the wrong password", {})).toBeNull();
      // The cost is in the hash itself: "$2b$04$...".
      return compares.mock.calls.map(([, hash]) => Number(String(hash).split("$")[2]));
    };
    expect(await costOfEachCompare("nobody@example.test")).toEqual([env.BCRYPT_COST]);
    expect(await costOfEachCompare(email)).toEqual([env.BCRYPT_COST]);
    compares.mockRestore();
  });
});
