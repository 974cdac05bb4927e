import { expect, test } from "@playwright/test";
import { signIn, signUp } from "./helpers";

test.describe("a tab whose session ended elsewhere", () => {
  test("creating a key there says the session ended, offers sign-in, and keeps the typed name", async ({ context, page }) => {
    const email = await signUp(page);
    const other = await context.newPage();
    await other.goto("/dashboard");
    await other.getByRole("button", { name: /Create (your first )?key/ }).click();
    const dialog = other.getByRole("dialog", { name: "Create an API key" });
    await dialog.getByLabel("Name", { exact: true }).fill("typed before sign-out");

    // Signed out in the first tab (the header's button); the cookie is gone for both.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/(sign-in|$)/);

    await dialog.getByRole("button", { name: "Create key" }).click();
    const notice = dialog.getByRole("alert").filter({ hasText: "Your session ended" });
    await expect(notice).toBeVisible();
    await expect(other.getByText(/This page couldn.t load/)).toHaveCount(0); // Next's generic error, as before the fix
    const link = notice.getByRole("link", { name: "Sign in again" });
    await expect(link).toHaveAttribute("href", "/sign-in?callbackUrl=%2Fdashboard");
    await expect(dialog.getByLabel("Name", { exact: true })).toHaveValue("typed before sign-out");

    // Signed in again in a tab of its own, the same form submits what it kept.
    const signInTab = await context.newPage();
    await signIn(signInTab, email);
    await expect(signInTab).toHaveURL(/\/dashboard/);
    await dialog.getByRole("button", { name: "Create key" }).click();
    await expect(dialog.getByTestId("new-secret")).toHaveValue(/^kp_test_/);
  });
});
