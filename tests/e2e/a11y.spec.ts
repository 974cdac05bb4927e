import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { createKeyInUi } from "./helpers";

/** No serious or critical axe violation; the rest are reported in the failure message. */
async function expectAccessible(page: Page, include?: string) {
  const builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  const blocking = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(blocking.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`)).toEqual([]);
}

// Committed copies are refreshed with UPDATE_SCREENSHOTS=1; ordinary runs write artifacts only.
const SHOTS = process.env.UPDATE_SCREENSHOTS ? "tests/e2e/__screenshots__" : "test-results/screenshots";

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`accessibility (${colorScheme})`, () => {
    test.use({ colorScheme });

    test("sign-in and sign-up have no serious or critical violations", async ({ page }) => {
      await page.goto("/sign-in");
      await expectAccessible(page);
      await page.goto("/sign-up");
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page.locator("#field-email-error")).toBeVisible();
      await expectAccessible(page);
      if (colorScheme === "light") await page.screenshot({ path: `${SHOTS}/sign-up-errors.png` });
    });

    test.describe("signed in", () => {
      test.use({ storageState: "tests/e2e/.auth/alice.json" });

      test("dashboard, create dialog and key page have no serious or critical violations", async ({ page }) => {
        const { dialog } = await createKeyInUi(page, `a11y ${colorScheme}`, { scopes: ["keys:read"] });
        await expectAccessible(page, "dialog");
        await page.screenshot({ path: `${SHOTS}/secret-reveal-${colorScheme}.png` });
        await dialog.getByRole("button", { name: "I have copied it" }).click();

        await expectAccessible(page);
        await page.screenshot({ path: `${SHOTS}/dashboard-${colorScheme}.png`, fullPage: true });

        await page.getByRole("button", { name: "Create key" }).click();
        await expect(page.getByRole("dialog", { name: "Create an API key" })).toBeVisible();
        await expectAccessible(page, "dialog");
        await page.screenshot({ path: `${SHOTS}/create-dialog-${colorScheme}.png` });
        await page.keyboard.press("Escape");
        await expect(page.getByRole("dialog")).toBeHidden();

        await page.getByRole("link", { name: `a11y ${colorScheme}` }).first().click();
        await expect(page.getByRole("heading", { name: `a11y ${colorScheme}` })).toBeVisible();
        await expectAccessible(page);
        await page.screenshot({ path: `${SHOTS}/key-page-${colorScheme}.png`, fullPage: true });
      });

      test("the dashboard works on a phone-sized screen", async ({ page }) => {
        test.skip(colorScheme === "dark", "one phone run is enough");
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto("/dashboard");
        await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `${SHOTS}/dashboard-phone.png`, fullPage: true });
      });
    });
  });
}

test("the create-key flow works from the keyboard alone", async ({ browser }) => {
  const context = await browser.newContext({ storageState: "tests/e2e/.auth/bob.json" });
  const page = await context.newPage();
  await page.goto("/dashboard");
  await page.getByRole("button", { name: /Create (your first )?key/ }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Create an API key" });
  await expect(dialog.getByLabel("Name", { exact: true })).toBeFocused();
  await page.keyboard.type("keyboard only");
  await dialog.getByRole("button", { name: "Create key" }).focus();
  await page.keyboard.press("Enter");
  await expect(dialog.getByTestId("new-secret")).toBeVisible();
  await dialog.getByRole("button", { name: "I have copied it" }).focus();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await context.close();
});
