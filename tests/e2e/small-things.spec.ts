import { expect, test } from "@playwright/test";
import { createKeyInUi, keyAction, signUp } from "./helpers";

test.describe("small things a user notices", () => {
  test("every page links the SVG favicon, and the favicon and logo are served", async ({ page, request }) => {
    await page.goto("/");
    await expect(page.locator('link[rel="icon"]')).toHaveAttribute("href", "/favicon.svg");
    for (const path of ["/favicon.svg", "/logo.svg"]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      expect(response.headers()["content-type"], path).toContain("image/svg+xml");
      expect(await response.text(), path).toContain("<svg");
    }
  });

  test("an unknown address gets Keyport's own 404 page", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Go to your keys" })).toHaveAttribute("href", "/dashboard");
    await expect(page).toHaveTitle("Page not found · Keyport");
  });

  test("the navigation marks the current page, on the dashboard and in the admin console", async ({ browser }) => {
    const context = await browser.newContext({ storageState: "tests/e2e/.auth/admin.json" });
    const page = await context.newPage();
    const nav = page.getByRole("navigation", { name: "Main" });
    await page.goto("/dashboard");
    await expect(nav.getByRole("link", { name: "Keys", exact: true })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Admin" })).not.toHaveAttribute("aria-current");

    await page.goto("/admin/keys");
    await expect(nav.getByRole("link", { name: "Keys", exact: true })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Users" })).not.toHaveAttribute("aria-current");
    await page.goto("/admin");
    await expect(nav.getByRole("link", { name: "Users" })).toHaveAttribute("aria-current", "page");
    await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
    await context.close();
  });

  test("one request is “1 request”, and the owner's banner says who revoked the key", async ({ page, request }) => {
    await signUp(page);
    const { dialog, secret } = await createKeyInUi(page, "counted");
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    expect((await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(200);

    await page.getByRole("link", { name: "counted", exact: true }).first().click();
    await expect(page.getByRole("heading", { name: "counted" })).toBeVisible();
    // Usage counts are written behind the request, within seconds.
    await expect
      .poll(async () => {
        await page.reload();
        return page.getByText(/in 30 days/).first().textContent();
      }, { timeout: 20_000, intervals: [1_000] })
      .toBe("1 request in 30 days");

    await keyAction(page, "counted", "Revoke");
    await page.getByRole("dialog", { name: "Revoke key" }).getByRole("button", { name: "Revoke key" }).click();
    await expect(page.getByRole("status").filter({ hasText: /^Revoked/ })).toContainText("by you");
  });

  test("a key an admin revoked names that admin in its owner's banner", async ({ page, browser }) => {
    const email = await signUp(page);
    const keyName = `banner-${Date.now()}`;
    const { dialog } = await createKeyInUi(page, keyName);
    await dialog.getByRole("button", { name: "I have copied it" }).click();

    const adminContext = await browser.newContext({ storageState: "tests/e2e/.auth/admin.json" });
    const admin = await adminContext.newPage();
    await admin.goto(`/admin/keys?owner=${encodeURIComponent(email)}`);
    await admin.getByRole("button", { name: `Revoke ${keyName} of ${email}` }).click();
    const revoke = admin.getByRole("dialog", { name: "Revoke key" });
    await revoke.getByLabel("Reason").fill("Found in a log file");
    await revoke.getByRole("button", { name: "Revoke key" }).click();
    await expect(admin.getByText(`Revoked “${keyName}”.`)).toBeVisible();
    await adminContext.close();

    await page.getByRole("link", { name: keyName, exact: true }).first().click();
    await expect(page.getByRole("status").filter({ hasText: /^Revoked/ })).toContainText("by admin@e2e.test: Found in a log file");
  });
});
