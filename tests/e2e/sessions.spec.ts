import { expect, test } from "@playwright/test";
import { createKeyInUi, PASSWORD, signIn, signUp } from "./helpers";

test.describe("sessions, forms and abuse", () => {
  test("the session cookie is HttpOnly and SameSite=Lax, and next-auth's CSRF cookie is set", async ({ page, context }) => {
    await signUp(page);
    const session = (await context.cookies()).find((cookie) => cookie.name.endsWith("next-auth.session-token"));
    expect(session).toBeDefined();
    expect(session!.httpOnly).toBe(true);
    expect(session!.sameSite).toBe("Lax");
    // The forms sign in through server actions (guarded by Next's Origin check); next-auth's own
    // routes still hand out its CSRF cookie to any client that asks for a token.
    await page.request.get("/api/auth/csrf");
    const csrf = (await context.cookies()).find((cookie) => cookie.name.endsWith("next-auth.csrf-token"));
    expect(csrf?.httpOnly).toBe(true);
  });

  test("a credentials sign-in without next-auth's CSRF token is refused", async ({ request }) => {
    const response = await request.post("/api/auth/callback/credentials", {
      form: { email: "alice@e2e.test", password: PASSWORD },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(302);
    expect(response.headers().location).toContain("csrf=true");
    const session = await (await request.get("/api/auth/session")).json();
    expect(session.user).toBeUndefined();
  });

  test("a server action called with a foreign Origin is refused and changes nothing", async ({ page }) => {
    await signUp(page);
    const captured: { action: string; body: Buffer; contentType: string }[] = [];
    page.on("request", (sent) => {
      if (sent.method() === "POST" && sent.headers()["next-action"]) captured.push({ action: sent.headers()["next-action"], body: sent.postDataBuffer()!, contentType: sent.headers()["content-type"] });
    });
    const { dialog } = await createKeyInUi(page, "origin check");
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    expect(captured).toHaveLength(1);
    const replay = await page.request.post("/dashboard", {
      headers: { "next-action": captured[0].action, "content-type": captured[0].contentType, origin: "https://evil.example", accept: "text/x-component" },
      data: captured[0].body,
      maxRedirects: 0,
    });
    expect(replay.status()).toBeGreaterThanOrEqual(400);
    expect(await replay.text()).not.toMatch(/kp_test_[0-9A-Za-z]{38}/);
    await page.reload();
    await expect(page.getByRole("link", { name: "origin check" })).toHaveCount(1);
  });

  test("repeated failed sign-ins for one account are throttled with a clear message", async ({ page, browser }) => {
    const email = await signUp(page);
    const attacker = await (await browser.newContext()).newPage();
    for (let attempt = 0; attempt < 10; attempt++) {
      await signIn(attacker, email, `wrong password ${attempt}`);
      await expect(attacker.locator("#field-password-error")).toHaveText("Email or password is incorrect.");
    }
    await signIn(attacker, email, "wrong password again");
    await expect(attacker.getByText("Too many failed attempts. Wait a few minutes, then try again.")).toBeVisible();
    // Even the right password waits out the lock for this account.
    await signIn(attacker, email, PASSWORD);
    await expect(attacker.getByText("Too many failed attempts. Wait a few minutes, then try again.")).toBeVisible();
    await expect(attacker).toHaveURL(/\/sign-in/);
  });

  test("an IP allowlist set in the dashboard is enforced, and a forged X-Forwarded-For does not get past it", async ({ page, request }) => {
    await signUp(page);
    const { dialog, secret } = await createKeyInUi(page, "office only");
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    await page.getByRole("link", { name: "office only" }).click();
    await page.getByLabel("Allowed IP addresses").fill("10.0.0.0/8\nnot-an-address");
    await page.getByRole("button", { name: "Save allowlist" }).click();
    await expect(page.locator("#field-ipAllowlist-error")).toContainText("not-an-address");
    await expect(page.getByLabel("Allowed IP addresses")).toHaveValue("10.0.0.0/8\nnot-an-address");
    await page.getByLabel("Allowed IP addresses").fill("10.0.0.0/8");
    await page.getByRole("button", { name: "Save allowlist" }).click();
    await expect(page.getByText("now works only from 1 address block")).toBeVisible();

    const call = (headers: Record<string, string> = {}) => request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}`, ...headers } });
    const refused = await call({ "x-forwarded-for": "10.1.2.3" });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe("ip_not_allowed");

    await page.getByLabel("Allowed IP addresses").fill("127.0.0.1\n::1");
    await page.getByRole("button", { name: "Save allowlist" }).click();
    await expect(page.getByText("now works only from 2 address block")).toBeVisible();
    expect((await call()).status()).toBe(200);
  });
});
