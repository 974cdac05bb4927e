import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { generate } from "otplib";
import { PASSWORD, signIn, uniqueEmail } from "./helpers";

/**
 * The code an authenticator app shows one step (30 s) from now. The enrollment spent the
 * current step's code, and a code is accepted once; the server accepts one step either side
 * of its clock, so the next step's code is fresh without waiting for it.
 */
const nextCode = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
const currentCode = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) });

/** A six-digit guess that is no code of the window around now: a wrong code that cannot be right by chance. */
async function wrongCode(secret: string) {
  const now = Math.floor(Date.now() / 1000);
  const valid = new Set(await Promise.all([-30, 0, 30, 60].map((offset) => generate({ secret, epoch: now + offset }))));
  return ["000000", "111111", "222222", "333333", "444444"].find((guess) => !valid.has(guess))!;
}

/** A fresh account made through the sign-up form (two-factor needs no verified address). */
async function freshAccount(page: Page) {
  const email = uniqueEmail("tfa");
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  return email;
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** Turns two-factor on through /account/two-factor; returns the secret (read as a person types it) and the recovery codes shown. */
async function enroll(page: Page) {
  await page.goto("/account/two-factor");
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel("Code from your app").fill(await currentCode(secret));
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Turn on two-factor" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Two-factor sign-in is on." })).toBeVisible();
  const codes = (await page.getByTestId("recovery-codes").getByRole("listitem").allInnerTexts()).map((code) => code.trim());
  expect(codes).toHaveLength(10);
  for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  await page.getByRole("link", { name: "I saved them" }).click();
  await expect(page.getByTestId("recovery-codes-left")).toHaveText(/10 of 10 unused/);
  return { secret, codes };
}

/** No serious or critical axe violation (WCAG 2.1 A/AA), as tests/e2e/a11y.spec.ts asks of the other pages. */
async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const blocking = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(blocking.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`)).toEqual([]);
}

test.describe("two-factor sign-in", () => {
  test("enroll with a QR secret, sign out, sign in with password then a code; the session cookie comes only after the code", async ({ page, context }) => {
    const email = await freshAccount(page);
    const { secret } = await enroll(page);
    await page.goto("/dashboard");
    await signOut(page);

    await signIn(page, email);
    await expect(page).toHaveURL(/\/sign-in\/two-factor/);
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name.endsWith("next-auth.session-token"))).toBeUndefined();
    const challenge = cookies.find((cookie) => cookie.name.endsWith("keyport.two-factor-challenge"));
    expect(challenge).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    // The dashboard stays closed on the password alone.
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in/);

    await page.goto("/sign-in/two-factor");
    await page.getByLabel("Authentication code").fill(await wrongCode(secret));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByText("That code is not right")).toBeVisible();
    await page.getByLabel("Authentication code").fill(await nextCode(secret));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    expect((await context.cookies()).find((cookie) => cookie.name.endsWith("next-auth.session-token"))).toBeDefined();
  });

  test("a recovery code signs in once; the same code a second time is refused", async ({ page }) => {
    const email = await freshAccount(page);
    const { codes } = await enroll(page);
    await page.goto("/dashboard");
    await signOut(page);

    await signIn(page, email);
    await expect(page).toHaveURL(/\/sign-in\/two-factor/);
    await page.getByLabel("Authentication code").fill(codes[0].toUpperCase());
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.goto("/account/two-factor");
    await expect(page.getByTestId("recovery-codes-left")).toHaveText(/9 of 10 unused/);
    await signOut(page);

    await signIn(page, email);
    await expect(page).toHaveURL(/\/sign-in\/two-factor/);
    await page.getByLabel("Authentication code").fill(codes[0]);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByText("That code is not right, or it was already used")).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in\/two-factor/);
    // Another unused code still works.
    await page.getByLabel("Authentication code").fill(codes[1]);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  });

  for (const colorScheme of ["light", "dark"] as const) {
    test(`the two-factor pages have no serious or critical accessibility violations (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      const email = await freshAccount(page);
      await page.goto("/account/two-factor");
      await expectAccessible(page);
      const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
      await page.getByLabel("Code from your app").fill(await wrongCode(secret));
      await page.getByLabel("Current password").fill(PASSWORD);
      await page.getByRole("button", { name: "Turn on two-factor" }).click();
      await expect(page.getByText("That code is not right")).toBeVisible();
      await expectAccessible(page);
      await page.getByLabel("Code from your app").fill(await currentCode(secret));
      await page.getByLabel("Current password").fill(PASSWORD);
      await page.getByRole("button", { name: "Turn on two-factor" }).click();
      await expect(page.getByTestId("recovery-codes")).toBeVisible();
      await expectAccessible(page);
      await page.getByRole("link", { name: "I saved them" }).click();
      await expect(page.getByTestId("recovery-codes-left")).toBeVisible();
      await expectAccessible(page);
      await signOut(page);
      await signIn(page, email);
      await expect(page).toHaveURL(/\/sign-in\/two-factor/);
      await expectAccessible(page);
    });
  }
});
