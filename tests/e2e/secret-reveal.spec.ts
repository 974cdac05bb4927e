import { expect, type Locator, type Page, test } from "@playwright/test";
import { createKeyInUi, rollKeyInUi, signUp } from "./helpers";

/** Presses Escape twice (a browser may force the second close request through) and clicks the backdrop. */
async function tryToDismiss(page: Page, dialog: Locator) {
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  await expect(dialog.getByTestId("new-secret")).toBeVisible();
  // The top-left corner of the viewport is backdrop: the dialog panel is centred and narrower.
  await page.mouse.click(4, 4);
  await expect(dialog.getByTestId("new-secret")).toBeVisible();
}

/** Whether the field shows all of its text: nothing scrolled out of sight either way. */
async function showsWholeValue(field: Locator) {
  return field.evaluate((element) => element.scrollWidth <= element.clientWidth && element.scrollHeight <= element.clientHeight);
}

test.describe("the secret reveal", () => {
  test("Escape and the backdrop do not close a new key's secret; only “I have copied it” does, and focus goes to the create button", async ({ page }) => {
    await signUp(page);
    const { dialog, secret } = await createKeyInUi(page, "reveal create");
    await tryToDismiss(page, dialog);
    await expect(dialog.getByTestId("new-secret")).toHaveValue(secret);
    await expect(dialog.getByRole("status")).toContainText("until you choose “I have copied it”");

    // The whole key shows on one line at a desktop width.
    const field = dialog.getByTestId("new-secret");
    expect(await showsWholeValue(field)).toBe(true);
    const lineHeight = await field.evaluate((element) => parseFloat(getComputedStyle(element).lineHeight));
    const height = await field.evaluate((element) => element.clientHeight);
    expect(height).toBeLessThan(2 * lineHeight + 20);

    await dialog.getByRole("button", { name: "I have copied it" }).click();
    await expect(dialog).toBeHidden();
    // The empty state's button has gone with the first key; the header's takes the focus.
    await expect(page.getByRole("button", { name: "Create key", exact: true })).toBeFocused();
  });

  test("a rolled key's secret survives Escape and the backdrop, and focus returns to the key's row", async ({ page }) => {
    await signUp(page);
    const { dialog } = await createKeyInUi(page, "reveal roll");
    await dialog.getByRole("button", { name: "I have copied it" }).click();

    const { dialog: roll, secret } = await rollKeyInUi(page, "reveal roll", { grace: "1 hour" });
    await tryToDismiss(page, roll);
    await expect(roll.getByTestId("new-secret")).toHaveValue(secret);

    await roll.getByRole("button", { name: "I have copied it" }).click();
    await expect(roll).toBeHidden();
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      return { tag: element?.tagName, label: element?.getAttribute("aria-label") ?? element?.textContent };
    });
    expect(focused.tag).toBe("BUTTON");
    expect(focused.label).toContain("reveal roll");
  });

  test("a form dialog without a secret still closes on Escape", async ({ page }) => {
    await signUp(page);
    await page.getByRole("button", { name: "Create your first key" }).click();
    const dialog = page.getByRole("dialog", { name: "Create an API key" });
    await expect(dialog).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("button", { name: "Create your first key" })).toBeFocused();
  });

  test("on a phone the whole key shows, wrapped", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signUp(page);
    const { dialog } = await createKeyInUi(page, "reveal phone");
    expect(await showsWholeValue(dialog.getByTestId("new-secret"))).toBe(true);
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    await expect(dialog).toBeHidden();
  });
});
