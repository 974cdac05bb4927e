import { expect, test } from "@playwright/test";
import { PASSWORD, signUp, uniqueEmail } from "./helpers";

// A portal reached over plain HTTP by a name that is not localhost (an internal host name, a
// container's name): browsers treat only localhost as secure, so this is where a stray
// `upgrade-insecure-requests` turns every stylesheet and script request into an https: one
// that nothing answers. Chromium resolves the name to the suite's server itself.
const HOST = "keyport.internal";

test("over plain HTTP on an internal host name, the pages are styled and sign-in works", async ({ playwright }, testInfo) => {
  const { launchOptions, baseURL } = testInfo.project.use;
  const port = new URL(baseURL!).port;
  const browser = await playwright.chromium.launch({
    ...launchOptions,
    args: [...(launchOptions?.args ?? []), `--host-resolver-rules=MAP ${HOST} 127.0.0.1`],
  });
  const origin = `http://${HOST}:${port}`;
  const context = await browser.newContext({ baseURL: origin });
  const page = await context.newPage();
  const failures: string[] = [];
  // Stylesheets and scripts must all load (an upgraded one fails with a connection error).
  // Next's prefetches, aborted when the page navigates on, are no failure of this.
  page.on("requestfailed", (request) => {
    if (["stylesheet", "script", "font"].includes(request.resourceType())) failures.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  page.on("console", (message) => {
    if (message.type() === "error") failures.push(message.text());
  });

  const response = await page.goto("/sign-in");
  expect(page.url()).toBe(`${origin}/sign-in`);
  expect(response!.headers()["content-security-policy"]).not.toContain("upgrade-insecure-requests");
  // The stylesheet applied: the primary button has its indigo background, not the browser's grey.
  const signInButton = page.getByRole("button", { name: "Sign in" });
  const background = await signInButton.evaluate((button) => getComputedStyle(button).backgroundColor);
  const unstyled = await page.evaluate(() => {
    const plain = document.createElement("button");
    document.body.append(plain);
    const color = getComputedStyle(plain).backgroundColor;
    plain.remove();
    return color;
  });
  expect(background).not.toBe(unstyled);
  // Tailwind's preflight zeroes the body's margin; an unstyled page keeps the browser's 8px.
  expect(await page.evaluate(() => getComputedStyle(document.body).margin)).toBe("0px");

  // Scripts run: sign up, sign out by dropping the cookies, and sign in again on this name.
  // Not verified here: the mail's link names NEXTAUTH_URL's host, where this browser is not signed in.
  const email = await signUp(page, uniqueEmail("plain-http"), PASSWORD, { verify: false });
  await context.clearCookies();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${origin}/dashboard`);
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();

  expect(failures).toEqual([]);
  await browser.close();
});
