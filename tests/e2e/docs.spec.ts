import { expect, test } from "@playwright/test";
import { createKeyInUi, signUp } from "./helpers";

test.describe("API docs", () => {
  test("the docs page has the quickstart and an interactive reference built from the OpenAPI document", async ({ page }) => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/i.test(message.text())) errors.push(message.text());
    });
    await page.goto("/docs");
    await expect(page.getByRole("heading", { name: "Integrate with Keyport" })).toBeVisible();
    await expect(page.getByText(/curl -H "Authorization: Bearer \$KEYPORT_KEY"/)).toBeVisible();
    await expect(page.getByText("\\bkp_(live|test)_[0-9A-Za-z]{38}\\b")).toBeVisible();
    // Scalar renders the operations from /api/v1/openapi.json (later sections render as they scroll in).
    await page.locator("#reference").scrollIntoViewIfNeeded();
    await expect(page.getByRole("heading", { name: "Keyport API", exact: true })).toBeVisible({ timeout: 20_000 });
    for (const tag of ["Identity", "Keys", "Verification"]) await expect(page.getByText(tag, { exact: true }).first()).toBeVisible();
    expect(errors).toEqual([]);
  });

  test("a signed-in developer sees their own key's start in the examples", async ({ page }) => {
    // A developer of its own: the shared ones get new keys from tests running alongside, and the page shows the newest.
    await signUp(page);
    const { dialog, secret } = await createKeyInUi(page, "docs example");
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    await page.goto("/docs");
    await expect(page.getByText(`export KEYPORT_KEY=${secret.slice(0, 12)}…`)).toBeVisible();
    expect(await page.content()).not.toContain(secret);
  });
});
