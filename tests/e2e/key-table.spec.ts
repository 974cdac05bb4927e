import { spawn } from "node:child_process";
import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import { createKeyInUi, keyAction, rollKeyInUi, signUp } from "./helpers";

/** Seeds 70 keys for `email` through lib/ (tests/e2e/seed-keys.ts) against the e2e server's database. */
function seedKeys(email: string, prefix: string) {
  return new Promise<{ total: number; rolledName: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/e2e/seed-keys.ts", email, prefix], {
      env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL!, NODE_ENV: "test", REDIS_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split("\n").at(-1)!)) : reject(new Error(`seed failed: ${stderr}`))));
  });
}

const today = () => new Date().toISOString().slice(0, 10);
const count = (page: Page) => page.getByTestId("key-count");
const rows = (page: Page) => page.locator('[data-testid^="key-row-"]');

/** Every "Actions for …" button lies inside the table's container and the viewport, and the container does not scroll sideways. */
async function expectNothingCutOff(page: Page, container: Locator, buttons: Locator) {
  const box = (await container.boundingBox())!;
  const viewport = page.viewportSize()!;
  const n = await buttons.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const button = (await buttons.nth(i).boundingBox())!;
    expect(button.x, `button ${i} starts inside`).toBeGreaterThanOrEqual(box.x);
    expect(button.x + button.width, `button ${i} ends inside the container`).toBeLessThanOrEqual(box.x + box.width + 0.5);
    expect(button.x + button.width, `button ${i} ends inside the viewport`).toBeLessThanOrEqual(viewport.width);
  }
  const overflow = await container.evaluate((element) => element.scrollWidth - element.clientWidth);
  expect(overflow, "the table is no wider than its container").toBeLessThanOrEqual(0);
}

test.describe("the key table at real sizes (70 keys)", () => {
  // One seeded owner for the whole group: its tests run in one worker, after one seed.
  test.describe.configure({ mode: "serial" });
  let email: string;
  const prefix = `svc${Date.now().toString(36)}`;

  test.beforeAll(async ({ browser }: { browser: Browser }) => {
    const context = await browser.newContext();
    email = await signUp(await context.newPage());
    await context.close();
    const seeded = await seedKeys(email, prefix);
    expect(seeded.total).toBe(70);
    expect(seeded.rolledName).toBe(`${prefix} active 40 (rolled ${today()})`);
  });

  async function signedIn(browser: Browser, viewport = { width: 1280, height: 900 }) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    return { context, page };
  }

  test("revoked and expired keys are hidden by default and counted; pages, search and filters are read from the URL by the server", async ({ browser }) => {
    const { context, page } = await signedIn(browser);
    // 41 working keys (40 active, one in grace) and 29 hidden: no silent cap, the count is said.
    await expect(count(page)).toHaveText("1–20 of 41 keys · 29 revoked or expired hidden");
    await expect(rows(page)).toHaveCount(20);
    await page.getByRole("link", { name: "Next →" }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(count(page)).toContainText("21–40 of 41 keys");
    await expect(page.getByText("Page 2 of 3")).toBeVisible();
    await page.getByRole("link", { name: "Next →" }).click();
    await expect(rows(page)).toHaveCount(1);
    await expect(count(page)).toContainText("41–41 of 41 keys");

    // Search by name.
    await page.goto("/dashboard");
    await page.getByLabel("Search by name or start").fill(`${prefix} active 07`);
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/q=/);
    await expect(rows(page)).toHaveCount(1);
    await expect(page.getByRole("link", { name: `${prefix} active 07` })).toBeVisible();

    // Search by the key's start (what a log line shows).
    const start = (await rows(page).first().locator("code").first().textContent())!.replace("…", "");
    await page.goto(`/dashboard?q=${encodeURIComponent(start)}`);
    await expect(rows(page)).toHaveCount(1);
    await expect(page.getByRole("link", { name: `${prefix} active 07` })).toBeVisible();

    // Status filters (the key policy's display statuses) and environment.
    await page.goto("/dashboard");
    await page.getByLabel("Status").selectOption("revoked");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(count(page)).toHaveText("1–15 of 15 keys");
    await page.goto("/dashboard?status=in_grace");
    await expect(rows(page)).toHaveCount(1);
    await expect(page.getByRole("link", { name: `${prefix} active 40`, exact: true })).toBeVisible();
    await expect(page.getByText(/in grace until/)).toBeVisible();
    await page.goto("/dashboard?status=expired");
    await expect(count(page)).toHaveText("1–14 of 14 keys");
    await page.goto("/dashboard?status=expiring_soon");
    await expect(count(page)).toHaveText("1–4 of 4 keys");

    await page.goto("/dashboard");
    await page.getByLabel("Environment").selectOption("live");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(count(page)).toHaveText("1–13 of 13 keys · 12 revoked or expired hidden");
    await page.getByLabel("Show revoked and expired").check();
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/env=live/);
    await expect(page).toHaveURL(/show=all/);
    await expect(count(page)).toHaveText("1–20 of 25 keys");

    await page.goto("/dashboard?show=all");
    await expect(count(page)).toHaveText("1–20 of 70 keys");
    // A page past the end shows the last page, not an empty one.
    await page.goto("/dashboard?show=all&page=99");
    await expect(count(page)).toHaveText("61–70 of 70 keys");
    await context.close();
  });

  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    test(`at ${viewport.width} px no actions button is cut off, and the menu opens a dialog`, async ({ browser }) => {
      const { context, page } = await signedIn(browser, viewport);
      const container = page.getByRole("table", { name: "Your API keys" }).locator("xpath=..");
      for (const url of ["/dashboard", "/dashboard?show=all", "/dashboard?show=all&page=3", "/dashboard?status=in_grace"]) {
        await page.goto(url);
        await expect(rows(page).first()).toBeVisible();
        await expectNothingCutOff(page, container, page.getByRole("button", { name: /^Actions for / }));
      }
      const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(pageOverflow).toBeLessThanOrEqual(0);

      await page.goto("/dashboard");
      await keyAction(page, `${prefix} active 35`, "Rename");
      const dialog = page.getByRole("dialog", { name: "Rename key" });
      await expect(dialog).toBeVisible();
      const panel = (await dialog.boundingBox())!;
      expect(panel.x).toBeGreaterThanOrEqual(0);
      expect(panel.x + panel.width).toBeLessThanOrEqual(viewport.width);
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await context.close();
    });
  }

  test("the actions menu works from the keyboard: arrows move, Escape closes it and focus returns to its button", async ({ browser }) => {
    const { context, page } = await signedIn(browser);
    const name = `${prefix} active 11`;
    await page.goto(`/dashboard?q=${encodeURIComponent(name)}`);
    const trigger = page.getByRole("button", { name: `Actions for ${name}` });
    await trigger.focus();
    await expect(trigger).toHaveAttribute("aria-expanded", "false");
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: `Actions for ${name}` });
    await expect(menu).toBeVisible();
    await expect(trigger).toHaveAttribute("aria-expanded", "true");
    await expect(menu.getByRole("menuitem", { name: "View details" })).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(menu.getByRole("menuitem", { name: "Rename" })).toBeFocused();
    await page.keyboard.press("End");
    await expect(menu.getByRole("menuitem", { name: "Revoke" })).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(menu.getByRole("menuitem", { name: "View details" })).toBeFocused();
    await page.keyboard.press("ArrowUp");
    await expect(menu.getByRole("menuitem", { name: "Revoke" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(menu).toBeHidden();
    await expect(trigger).toBeFocused();

    // ArrowDown on the button opens the menu too; Enter on an item opens its dialog, whose close returns focus to the button.
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await expect(menu.getByRole("menuitem", { name: "Rename" })).toBeFocused();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Rename key" });
    await expect(dialog.getByLabel("Name", { exact: true })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(trigger).toBeFocused();
    await context.close();
  });
});

test.describe("editing what a key is", () => {
  test("the owner extends and shortens the expiry and narrows and widens the scopes on the key page; a refusal shows next to the field", async ({ page, request }) => {
    await signUp(page);
    const { dialog, secret } = await createKeyInUi(page, "editable");
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    await keyAction(page, "editable", "View details");
    await expect(page.getByRole("heading", { name: "editable" })).toBeVisible();

    // Expiry: a date, then a shorter preset.
    const expiry = page.getByRole("form", { name: "Expiry" });
    const inOneYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
    await expiry.getByLabel("Change the expiry").selectOption("date");
    await expiry.getByLabel("Expiry date").fill(inOneYear);
    await expiry.getByRole("button", { name: "Save expiry" }).click();
    await expect(page.getByText(`“editable” now expires ${inOneYear}.`)).toBeVisible();
    const me = async () => (await (await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } })).json()).key;
    await expect.poll(async () => (await me()).expiresAt?.slice(0, 10)).toBe(inOneYear);
    await expiry.getByLabel("Change the expiry").selectOption("7");
    await expiry.getByRole("button", { name: "Save expiry" }).click();
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await expect(page.getByText(`“editable” now expires ${inAWeek}.`)).toBeVisible();
    await expect(page.getByText("Expiring soon").first()).toBeVisible();
    // A date too far away is refused next to the field, and nothing changes.
    await expiry.getByLabel("Change the expiry").selectOption("date");
    await expiry.getByLabel("Expiry date").fill("2099-01-01");
    await expiry.getByRole("button", { name: "Save expiry" }).click();
    await expect(expiry.locator("#field-expiresOn-error")).toHaveText("Pick a date in the future, within five years.");
    expect((await me()).expiresAt.slice(0, 10)).toBe(inAWeek);

    // Scopes: widen, then narrow; none at all is refused next to the checkboxes.
    const scopes = page.getByRole("form", { name: "Scopes" });
    await scopes.getByLabel("keys:read").check();
    await scopes.getByRole("button", { name: "Save scopes" }).click();
    await expect(page.getByText("“editable” now has: keys:read, me:read.")).toBeVisible();
    expect((await me()).scopes.sort()).toEqual(["keys:read", "me:read"]);
    await scopes.getByLabel("keys:read").uncheck();
    await scopes.getByRole("button", { name: "Save scopes" }).click();
    await expect(page.getByText("“editable” now has: me:read.")).toBeVisible();
    await expect(scopes.getByLabel("keys:read")).not.toBeChecked();
    expect((await me()).scopes).toEqual(["me:read"]);
    await scopes.getByLabel("me:read").uncheck();
    await scopes.getByRole("button", { name: "Save scopes" }).click();
    await expect(scopes.locator("#field-scopes-error")).toHaveText("Choose at least one scope.");

    // The key policy's own refusal: a non-admin sending an admin-only scope (the form never offers it).
    await scopes.evaluate((form) => {
      const input = document.createElement("input");
      input.type = "checkbox";
      input.name = "scopes";
      input.value = "verify";
      input.checked = true;
      form.querySelector("fieldset")!.append(input);
    });
    await scopes.getByRole("button", { name: "Save scopes" }).click();
    await expect(scopes.locator("#field-scopes-error")).toHaveText("Only an admin can hold: verify.");
    expect((await me()).scopes).toEqual(["me:read"]);

    // The trail shows each change.
    await page.reload();
    await expect(page.getByRole("region", { name: "Activity" }).getByRole("listitem")).not.toHaveCount(1);
  });

  test("a roll offers a new expiry and names the new key '<name> (rolled YYYY-MM-DD)'", async ({ page, request }) => {
    await signUp(page);
    const { dialog } = await createKeyInUi(page, "billing");
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    // The default keeps the old expiry (none).
    const roll = page.getByRole("dialog", { name: "Roll key" });
    await page.getByRole("button", { name: "Actions for billing" }).click();
    await page.getByRole("menuitem", { name: "Roll" }).click();
    await expect(roll.getByLabel("New key expires")).toHaveValue("keep");
    await roll.getByRole("button", { name: "Cancel" }).click();

    const { dialog: rolled, secret } = await rollKeyInUi(page, "billing", { grace: "1 hour", expiry: "In 30 days" });
    await rolled.getByRole("button", { name: "I have copied it" }).click();
    const newName = `billing (rolled ${today()})`;
    await expect(page.getByRole("link", { name: newName, exact: true })).toBeVisible();
    const key = (await (await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } })).json()).key;
    expect(key.name).toBe(newName);
    const days = (new Date(key.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    // Rolling the rolled key replaces the date rather than stacking a second suffix.
    const again = await rollKeyInUi(page, newName, { grace: "1 hour" });
    await again.dialog.getByRole("button", { name: "I have copied it" }).click();
    await expect(page.getByRole("link", { name: newName, exact: true })).toHaveCount(2);
  });
});

test.describe("admin dialogs", () => {
  test.use({ storageState: "tests/e2e/.auth/admin.json" });

  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    test(`at ${viewport.width} px the admin revoke dialog's text is left-aligned and wraps, and every row's actions are reachable`, async ({ page, browser }) => {
      const owner = await browser.newContext({ storageState: { cookies: [], origins: [] } });
      const ownerPage = await owner.newPage();
      const email = await signUp(ownerPage);
      const keyName = `a-rather-long-key-name-${Date.now()}`;
      const created = await createKeyInUi(ownerPage, keyName);
      await created.dialog.getByRole("button", { name: "I have copied it" }).click();
      await owner.close();

      await page.setViewportSize(viewport);
      await page.goto(`/admin/keys?owner=${encodeURIComponent(email)}`);
      const revoke = page.getByRole("button", { name: `Revoke ${keyName} of ${email}` });
      await revoke.scrollIntoViewIfNeeded();
      const box = (await revoke.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      await revoke.click();
      const dialog = page.getByRole("dialog", { name: "Revoke key" });
      await expect(dialog).toBeVisible();
      // The dialog is no longer inside the table cell: nothing of the cell's style reaches it.
      expect(await dialog.evaluate((element) => element.closest("td") === null && element.parentElement === document.body)).toBe(true);
      const description = dialog.getByText(/will be refused from its next request/);
      const style = await description.evaluate((element) => ({ whiteSpace: getComputedStyle(element).whiteSpace, textAlign: getComputedStyle(element).textAlign }));
      expect(style.whiteSpace).not.toBe("nowrap");
      expect(["left", "start"]).toContain(style.textAlign);
      const text = (await description.boundingBox())!;
      const panel = (await dialog.boundingBox())!;
      expect(text.x + text.width).toBeLessThanOrEqual(panel.x + panel.width);
      // It wraps rather than running past the panel: the sentence takes more than one line here.
      const lineHeight = await description.evaluate((element) => parseFloat(getComputedStyle(element).lineHeight));
      expect(text.height).toBeGreaterThan(lineHeight * 1.5);
      await dialog.getByRole("button", { name: "Cancel" }).click();

      // The users table's actions are reachable too.
      await page.goto(`/admin?search=${encodeURIComponent(email)}`);
      const disable = page.getByRole("button", { name: `Disable ${email}` });
      await disable.scrollIntoViewIfNeeded();
      const disableBox = (await disable.boundingBox())!;
      expect(disableBox.x + disableBox.width).toBeLessThanOrEqual(viewport.width);
      await disable.click();
      await expect(page.getByRole("dialog", { name: "Disable user" })).toBeVisible();
    });
  }
});
