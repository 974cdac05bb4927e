import bcrypt from "bcrypt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TUTORIAL_USER_EMAIL } from "@/app/api/bench/tutorial-user";
import { db } from "@/lib/db";

// The bench's comparison routes, called as route handlers with a real Request (no build).
// lib/env reads KEYPORT_BENCH at import, so each case imports the routes afresh.
async function routes(benchSwitch: string | undefined) {
  vi.resetModules();
  if (benchSwitch === undefined) delete process.env.KEYPORT_BENCH;
  else process.env.KEYPORT_BENCH = benchSwitch;
  const [noop, shaped, tutorial] = await Promise.all([
    import("@/app/api/bench/noop/route"),
    import("@/app/api/bench/shaped/route"),
    import("@/app/api/bench/tutorial/route"),
  ]);
  return {
    noop: () => noop.GET(new Request("http://localhost/api/bench/noop")),
    shaped: () => shaped.GET(new Request("http://localhost/api/bench/shaped")),
    tutorial: (token: string) => tutorial.GET(new Request("http://localhost/api/bench/tutorial", { headers: { authorization: `Bearer ${token}` } })),
  };
}

afterEach(() => {
  delete process.env.KEYPORT_BENCH;
});

describe("the benchmark's comparison routes", () => {
  it("answer the API's JSON 404 on a server started without KEYPORT_BENCH", async () => {
    const { noop, shaped, tutorial } = await routes(undefined);
    for (const response of [await noop(), await shaped(), await tutorial("MV_SECRET_anything")]) {
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: "not_found", message: expect.any(String) } });
    }
  });

  it("serve the ceilings and the tutorial's bcrypt check only with KEYPORT_BENCH=1", async () => {
    const secret = `MV_SECRET_${"ab".repeat(32)}`;
    // Cost 4 keeps the test fast; the bench seeds cost 12, the tutorial's.
    await db.user.upsert({
      where: { email: TUTORIAL_USER_EMAIL },
      create: { email: TUTORIAL_USER_EMAIL, passwordHash: await bcrypt.hash(secret, 4) },
      update: { passwordHash: await bcrypt.hash(secret, 4) },
    });
    const { noop, shaped, tutorial } = await routes("1");
    expect((await noop()).status).toBe(200);
    // The shaped ceiling answers with /me's body shape and RateLimit headers, and no key.
    const shapedResponse = await shaped();
    expect(shapedResponse.status).toBe(200);
    expect(shapedResponse.headers.get("ratelimit-limit")).toBeTruthy();
    expect(Object.keys(await shapedResponse.json())).toEqual(["owner", "key"]);
    expect((await tutorial(secret)).status).toBe(200);
    expect((await tutorial(`MV_SECRET_${"cd".repeat(32)}`)).status).toBe(401);
  });
});
