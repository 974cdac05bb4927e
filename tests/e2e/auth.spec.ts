import { expect, test } from "@playwright/test";
import { PASSWORD, signIn, signUp, uniqueEmail } from "./helpers";

test.describe("accounts", () => {
  test("the dashboard needs a session and brings you back after sign-in", async ({ page }) => {
    const email = await signUp(page);
    await page.context().clearCookies();
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard/);
    await signIn(page, email);
    await expect(page).toHaveURL(/\/dashboard$/);
  });

  test("sign out ends the session and signing back in restores it", async ({ page }) => {
    const email = await signUp(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in/);
    await signIn(page, email);
    await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();
  });

  test("sign-up errors are shown next to the field", async ({ page }) => {
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#field-email-error")).toHaveText("Enter a valid email address.");
    await expect(page.locator("#field-password-error")).toHaveText("Use at least 10 characters.");
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");

    await page.getByLabel("Email").fill(uniqueEmail("common"));
    await page.getByLabel("Password").fill("password123");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#field-password-error")).toContainText("too common");
  });

  test("signing up with a taken email and another password is refused next to the field, whatever its case; with its own password it signs in", async ({ page }) => {
    const email = await signUp(page);
    await page.context().clearCookies();
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(`  ${email.toUpperCase()} `);
    await page.getByLabel("Password").fill("somebody else's password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#field-email-error")).toContainText("If the email is yours, sign in instead.");
    await expect(page).toHaveURL(/\/sign-up$/);

    // The account's own password: the same answer as any sign-up, the owner is signed in.
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  });

  test("a wrong password and an unknown email get the same message next to the field", async ({ page }) => {
    const email = await signUp(page);
    await page.context().clearCookies();
    await signIn(page, email, "wrong password entirely");
    const wrongPassword = await page.locator("#field-password-error").textContent();
    await signIn(page, uniqueEmail("nobody"), PASSWORD);
    const unknownEmail = await page.locator("#field-password-error").textContent();
    expect(wrongPassword).toBe("Email or password is incorrect.");
    expect(unknownEmail).toBe(wrongPassword);
    await expect(page).toHaveURL(/\/sign-in/);
  });
});
