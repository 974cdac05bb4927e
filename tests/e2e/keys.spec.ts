import { expect, test } from "@playwright/test";
import { createKeyInUi, keyAction, rollKeyInUi, signUp } from "./helpers";

test.describe("self-serve keys", () => {
  test("create a key, see the secret once, use it, revoke it", async ({ page, context, request }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await signUp(page);
    await expect(page.getByRole("heading", { name: "Create your first API key" })).toBeVisible();

    // Every server action's answer (the one that reveals the secret among them) must not be
    // cached. Their headers are read as they arrive; reading a streamed body raced the test.
    const actionCacheHeaders: string[] = [];
    page.on("response", (response) => {
      if (response.request().method() === "POST" && response.request().headers()["next-action"]) {
        actionCacheHeaders.push(response.headers()["cache-control"] ?? "");
      }
    });

    const { dialog, secret } = await createKeyInUi(page, "CI deploys");
    await expect(dialog.getByText("It will not be shown again")).toBeVisible();
    await expect(dialog.getByText(`curl -H "Authorization: Bearer ${secret}"`)).toBeVisible();
    await dialog.getByRole("button", { name: "Copy", exact: true }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await expect.poll(() => actionCacheHeaders.length).toBeGreaterThan(0);
    for (const header of actionCacheHeaders) expect(header).toContain("no-store");

    const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status()).toBe(200);
    expect((await me.json()).key.name).toBe("CI deploys");

    await dialog.getByRole("button", { name: "I have copied it" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("link", { name: "CI deploys" })).toBeVisible();
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    expect(await page.content()).not.toContain(secret);
    // Away and back through history (the back-forward cache included): still no secret.
    await page.goto("/docs");
    await page.goBack();
    await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();
    expect(await page.content()).not.toContain(secret);

    await keyAction(page, "CI deploys", "Revoke");
    await page.getByRole("dialog", { name: "Revoke key" }).getByRole("button", { name: "Revoke key" }).click();
    await expect(page.getByText("Revoked “CI deploys”")).toBeVisible();
    // Revoked keys leave the default view, which says how many it hides; "show all" lists it.
    await expect(page.getByRole("row", { name: /CI deploys/ })).toHaveCount(0);
    await page.getByRole("link", { name: "1 revoked or expired hidden" }).click();
    await expect(page.getByRole("row", { name: /CI deploys/ }).getByText("Revoked")).toBeVisible();
    const refused = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error.code).toBe("revoked_key");
  });

  test("roll with a grace: old and new both work, then the old one stops", async ({ page, request }) => {
    await signUp(page);
    const { dialog, secret: oldSecret } = await createKeyInUi(page, "worker");
    await dialog.getByRole("button", { name: "I have copied it" }).click();

    const { dialog: roll, secret: newSecret } = await rollKeyInUi(page, "worker", { grace: "5 seconds" });
    expect(newSecret).not.toBe(oldSecret);
    await roll.getByRole("button", { name: "I have copied it" }).click();

    await expect(page.getByText(/in grace until/)).toBeVisible();
    const call = (secret: string) => request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
    expect((await call(oldSecret)).status()).toBe(200);
    expect((await call(newSecret)).status()).toBe(200);

    await expect.poll(async () => (await call(oldSecret)).status(), { timeout: 15_000, intervals: [500] }).toBe(401);
    expect((await (await call(oldSecret)).json()).error.code).toBe("expired_key");
    expect((await call(newSecret)).status()).toBe(200);
  });

  test("rename a key and see its audit trail on the key page", async ({ page }) => {
    await signUp(page);
    const { dialog } = await createKeyInUi(page, "old name");
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    await keyAction(page, "old name", "Rename");
    const rename = page.getByRole("dialog", { name: "Rename key" });
    await rename.getByLabel("Name", { exact: true }).fill("");
    await rename.getByRole("button", { name: "Save" }).click();
    await expect(rename.locator("#field-name-error")).toHaveText("Give the key a name.");
    await rename.getByLabel("Name", { exact: true }).fill("new name");
    await rename.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("link", { name: "new name" })).toBeVisible();

    await page.getByRole("link", { name: "new name" }).click();
    await expect(page.getByRole("heading", { name: "new name" })).toBeVisible();
    const activity = page.getByRole("region", { name: "Activity" });
    await expect(activity.getByText("Renamed")).toBeVisible();
    await expect(activity.getByText("“old name” → “new name”")).toBeVisible();
    await expect(activity.getByText("Created")).toBeVisible();
  });

  test("create-key errors are shown next to the field, and nothing is created", async ({ page }) => {
    await signUp(page);
    await page.getByRole("button", { name: "Create your first key" }).click();
    const dialog = page.getByRole("dialog", { name: "Create an API key" });
    await dialog.getByLabel("me:read").uncheck();
    await dialog.getByLabel("Name", { exact: true }).fill("x".repeat(64));
    await dialog.getByLabel("Expires").selectOption("date");
    await dialog.getByRole("button", { name: "Create key" }).click();
    await expect(dialog.getByText("Choose at least one scope.")).toBeVisible();
    await expect(dialog.locator("#field-expiresOn-error")).toHaveText("Pick the date the key should expire.");
    await expect(dialog.getByLabel("Name", { exact: true })).toHaveValue("x".repeat(64));
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("heading", { name: "Create your first API key" })).toBeVisible();
  });
});

test.describe("usage", () => {
  test("requests show up in the key table and the 30-day charts within seconds", async ({ page, request }) => {
    await signUp(page);
    const { dialog, secret } = await createKeyInUi(page, "metered");
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    for (let i = 0; i < 3; i++) expect((await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(200);
    await expect
      .poll(async () => {
        await page.reload();
        return page.getByText("3 requests in 30 days").count();
      }, { timeout: 15_000, intervals: [1_000] })
      .toBe(1);
    await expect(page.getByRole("row", { name: /metered/ }).getByRole("cell", { name: "3", exact: true })).toBeVisible();
    await page.getByRole("link", { name: "metered" }).click();
    await expect(page.getByText("Requests to this key", { exact: true })).toBeVisible();
    await expect(page.getByText("3 requests in 30 days")).toBeVisible();
  });

  test("a usage-aware roll keeps the old key until the new one is used, then retires it", async ({ page, request }) => {
    await signUp(page);
    const { dialog, secret: oldSecret } = await createKeyInUi(page, "rotating");
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    const { dialog: roll, secret: newSecret } = await rollKeyInUi(page, "rotating", { grace: "5 seconds", startOnFirstUse: true });
    await roll.getByRole("button", { name: "I have copied it" }).click();
    await expect(page.getByText("Retires 5 seconds after its replacement is first used")).toBeVisible();

    const call = async (secret: string) => (await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } })).status();
    await page.waitForTimeout(6_000);
    expect(await call(oldSecret)).toBe(200);
    expect(await call(newSecret)).toBe(200);
    expect(await call(oldSecret)).toBe(200);
    await expect.poll(() => call(oldSecret), { timeout: 15_000, intervals: [500] }).toBe(401);
    await page.reload();
    await expect(page.getByText(/Retires .* after its replacement/)).toHaveCount(0);
  });
});
