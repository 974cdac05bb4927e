import { type Browser, expect, type Page, test } from "@playwright/test";
import { createKeyInUi, signUp } from "./helpers";

// Markup in a key's name: if anything rendered it as HTML, these elements would exist.
const HOSTILE_NAME = `<img src=x id=xss-img onerror=alert(1)><b id=xss-b>`;

/** The name shows as its literal text, and none of its markup became an element. */
async function expectShownAsText(page: Page) {
  await expect(page.getByText(HOSTILE_NAME, { exact: true }).first()).toBeVisible();
  expect(await page.locator("#xss-img, #xss-b").count()).toBe(0);
}

async function asAdmin(browser: Browser) {
  const context = await browser.newContext({ storageState: "tests/e2e/.auth/admin.json" });
  return { context, page: await context.newPage() };
}

test("a key named with HTML is shown as text on the dashboard, its key page, and in the admin console", async ({ page, browser }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const email = await signUp(page);
  const { dialog } = await createKeyInUi(page, HOSTILE_NAME);
  await dialog.getByRole("button", { name: "I have copied it" }).click();

  await page.goto("/dashboard");
  await expectShownAsText(page);
  await page.getByRole("link", { name: HOSTILE_NAME }).first().click();
  await expect(page.getByRole("heading", { name: HOSTILE_NAME })).toBeVisible();
  await expectShownAsText(page);
  expect(dialogs).toEqual([]);

  const admin = await asAdmin(browser);
  await admin.page.goto(`/admin/keys?owner=${encodeURIComponent(email)}`);
  await expectShownAsText(admin.page);
  await admin.page.goto("/admin/audit");
  await expect(admin.page.getByRole("table")).toBeVisible();
  expect(await admin.page.locator("#xss-img, #xss-b").count()).toBe(0);
  await admin.context.close();
});
