import AxeBuilder from "@axe-core/playwright";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { baseURL } from "../../playwright.config";
import { startCli } from "../fixtures/cli";
import { PASSWORD, signIn, signUp, verifyEmail } from "./helpers";

/** The session cookie this browser holds, as an attacker who copied it would keep it. */
async function savedCookie(context: BrowserContext) {
  const cookie = (await context.cookies()).find((entry) => entry.name.endsWith("next-auth.session-token"));
  expect(cookie).toBeDefined();
  return `${cookie!.name}=${cookie!.value}`;
}

/** Replays a saved cookie with a plain fetch: no browser, no redirects followed. */
async function replay(cookie: string, path: string) {
  return fetch(`${baseURL}${path}`, { headers: { cookie }, redirect: "manual" });
}

/** Whether the saved cookie still opens the dashboard (a 200 page), or is sent to sign-in. */
async function stillSignedIn(cookie: string) {
  const response = await replay(cookie, "/dashboard");
  if (response.status === 200) return true;
  expect(response.status).toBeGreaterThanOrEqual(300);
  expect(response.status).toBeLessThan(400);
  expect(response.headers.get("location")).toContain("/sign-in");
  return false;
}

/** What GET /api/auth/session answers a saved cookie: the body and whether it issued a new session token. */
async function sessionEndpoint(cookie: string) {
  const response = await replay(cookie, "/api/auth/session");
  const setCookies = response.headers.getSetCookie().filter((line) => line.includes("next-auth.session-token="));
  const reissued = setCookies.some((line) => !/next-auth\.session-token=;/.test(line) && !/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line));
  return { status: response.status, body: await response.json(), reissued, cleared: setCookies.length > 0 && !reissued };
}

/**
 * Runs `keyport` against the suite's database. On SQLite a CLI transaction that read before the
 * running server wrote can fail with SQLITE_BUSY, which Prisma reports as "Operation has timed
 * out"; it was rolled back, so it is run again (at most twice more). Reported in the notes.
 */
async function cli(...args: string[]) {
  let run = await startCli(process.env.E2E_DATABASE_URL!, args).done;
  for (let attempt = 0; attempt < 2 && run.code !== 0 && run.stderr.includes("timed out"); attempt++) {
    run = await startCli(process.env.E2E_DATABASE_URL!, args).done;
  }
  expect(run.code, run.stderr).toBe(0);
}

async function openSessions(page: Page) {
  await page.goto("/dashboard/sessions");
  await expect(page.getByRole("heading", { name: "Sessions" })).toBeVisible();
}

test.describe("sessions the server can revoke", () => {
  test("a cookie saved before sign-out is refused afterwards, and GET /api/auth/session clears it instead of extending it", async ({ page }) => {
    await signUp(page);
    const cookie = await savedCookie(page.context());
    expect(await stillSignedIn(cookie)).toBe(true);
    const live = await sessionEndpoint(cookie);
    expect(live.body.user?.id).toEqual(expect.any(String));
    expect(live.reissued).toBe(true);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);

    expect(await stillSignedIn(cookie)).toBe(false);
    const ended = await sessionEndpoint(cookie);
    expect(ended.status).toBe(200);
    expect(ended.body).toEqual({});
    expect(ended.reissued).toBe(false);
    expect(ended.cleared).toBe(true);
  });

  test("next-auth's own sign-out route (POST /api/auth/signout) ends the session on the server too", async ({ page }) => {
    await signUp(page);
    const cookie = await savedCookie(page.context());
    // page.request shares the browser's cookie jar: the CSRF cookie and token come from one answer.
    const { csrfToken } = await (await page.request.get("/api/auth/csrf")).json();
    const response = await page.request.post("/api/auth/signout", { form: { csrfToken, json: "true" } });
    expect(response.status()).toBe(200);
    expect(await stillSignedIn(cookie)).toBe(false);
    expect((await sessionEndpoint(cookie)).reissued).toBe(false);
  });

  test("next-auth's credentials provider still signs other clients in, through the same Session rows", async ({ page, browser }) => {
    const email = await signUp(page);
    const client = await browser.newContext();
    const { csrfToken } = await (await client.request.get("/api/auth/csrf")).json();
    const response = await client.request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password: PASSWORD, json: "true" } });
    expect(response.status()).toBe(200);
    const cookie = await savedCookie(client);
    const session = await sessionEndpoint(cookie);
    expect(session.body.user?.id).toEqual(expect.any(String));
    expect(await stillSignedIn(cookie)).toBe(true);
    // It is listed beside the browser's own session, and ending it there ends the client's cookie.
    await openSessions(page);
    await expect(page.getByTestId("session-row")).toHaveCount(2);
    await page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(page.getByTestId("session-row")).toHaveCount(1);
    expect(await stillSignedIn(cookie)).toBe(false);
    await client.close();
  });

  test("a cookie saved before a disable does not work after the user is enabled again", async ({ page }) => {
    const email = await signUp(page);
    const cookie = await savedCookie(page.context());
    await cli("users", "disable", email);
    expect(await stillSignedIn(cookie)).toBe(false);
    await cli("users", "enable", email);
    expect(await stillSignedIn(cookie)).toBe(false);
    expect((await sessionEndpoint(cookie)).reissued).toBe(false);
    // The user signs in again and is in.
    await page.context().clearCookies();
    await signIn(page, email, PASSWORD);
    await expect(page).toHaveURL(/\/dashboard$/);
  });

  test("a cookie saved before a role change does not work after it", async ({ page }) => {
    const email = await signUp(page);
    const cookie = await savedCookie(page.context());
    await cli("users", "promote", email);
    expect(await stillSignedIn(cookie)).toBe(false);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("the sessions page lists this device and the others; signing out another browser ends its saved cookie", async ({ page, browser }) => {
    const email = await signUp(page);
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signIn(otherPage, email, PASSWORD);
    await expect(otherPage).toHaveURL(/\/dashboard$/);
    const otherCookie = await savedCookie(other);

    await page.getByRole("link", { name: "Sessions" }).click();
    await expect(page).toHaveURL(/\/dashboard\/sessions$/);
    const rows = page.getByTestId("session-row");
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: "This device" })).toHaveCount(1);
    // Playwright's "Desktop Chrome" reports Windows, whatever the machine runs.
    await expect(rows.first()).toContainText(/Chrome on (Windows|Linux)/);
    await expect(rows.first()).toContainText("127.0.0.1");

    await page.getByRole("button", { name: /^Sign out Chrome on \w+ at / }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("This device");
    expect(await stillSignedIn(otherCookie)).toBe(false);
    await otherPage.goto("/dashboard");
    await expect(otherPage).toHaveURL(/\/sign-in/);
    await other.close();
  });

  for (const colorScheme of ["light", "dark"] as const) {
    test(`the sessions page has no serious or critical accessibility violations (${colorScheme})`, async ({ browser }) => {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      await signUp(page);
      await openSessions(page);
      const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      expect(violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => violation.id)).toEqual([]);
      await context.close();
    });
  }

  test("sign out everywhere else keeps this browser; sign out everywhere ends it too", async ({ page, browser }) => {
    const email = await signUp(page);
    const cookies: string[] = [];
    for (let i = 0; i < 2; i++) {
      const context = await browser.newContext();
      const other = await context.newPage();
      await signIn(other, email, PASSWORD);
      await expect(other).toHaveURL(/\/dashboard$/);
      cookies.push(await savedCookie(context));
      await context.close();
    }
    const mine = await savedCookie(page.context());
    await openSessions(page);
    await expect(page.getByTestId("session-row")).toHaveCount(3);
    await page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(page.getByTestId("session-row")).toHaveCount(1);
    for (const cookie of cookies) expect(await stillSignedIn(cookie)).toBe(false);
    expect(await stillSignedIn(mine)).toBe(true);

    await page.getByRole("button", { name: "Sign out everywhere", exact: true }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    expect(await stillSignedIn(mine)).toBe(false);
  });

  test("a session id posted by another user's form ends nothing", async ({ page, browser }) => {
    await signUp(page);
    await openSessions(page);
    const victimSession = await page.locator('input[name="sessionId"]').first().inputValue();
    const victimCookie = await savedCookie(page.context());

    const attackerContext = await browser.newContext();
    const attacker = await attackerContext.newPage();
    await signUp(attacker);
    await openSessions(attacker);
    // The attacker's own form, with the victim's session id typed into it.
    await attacker.locator('input[name="sessionId"]').first().evaluate((input, id) => ((input as HTMLInputElement).value = id), victimSession);
    await attacker.getByRole("button", { name: "Sign out this device" }).click();
    await expect(attacker.getByTestId("session-row")).toHaveCount(1);
    expect(await stillSignedIn(victimCookie)).toBe(true);
    await attackerContext.close();
  });
});

test.describe("ADMIN_EMAILS", () => {
  test("signing up as 'BOSS@example.com ' while ADMIN_EMAILS names boss@example.com makes no admin until the address is verified", async ({ page }) => {
    await signUp(page, "BOSS@example.com ", PASSWORD, { verify: false });
    await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
    const response = await page.goto("/admin");
    expect(response!.status()).toBe(404);
    // The link from the mail proves the address: promotion happens there, and only there.
    await verifyEmail(page, "boss@example.com");
    await expect(page.getByRole("link", { name: "Admin" })).toBeVisible();
  });
});
