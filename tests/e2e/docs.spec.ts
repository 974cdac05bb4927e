import { expect, test } from "@playwright/test";
import { baseURL } from "../../playwright.config";
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
    await expect(page.getByText(/-H "Authorization: Bearer \$KEYPORT_KEY"/)).toBeVisible();
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

  test("/docs is linked from the landing page and from the dashboard header", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("navigation").getByRole("link", { name: "API docs" }).click();
    await expect(page).toHaveURL(/\/docs$/);
    await signUp(page);
    await page.getByRole("banner").getByRole("link", { name: "API docs" }).click();
    await expect(page).toHaveURL(/\/docs$/);
    // On a phone the header keeps the link without growing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/dashboard");
    await expect(page.getByRole("banner").getByRole("link", { name: "API docs" })).toBeInViewport();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  test("examples come in curl, JavaScript, Python and Go, name the portal's real URL, and copy with one click", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
    await page.goto("/docs");
    const call = page.getByRole("region", { name: "Call the API" });
    const tabs = call.getByRole("tablist", { name: "Call the API" });
    await expect(tabs.getByRole("tab")).toHaveText(["curl", "JavaScript", "Python", "Go"]);
    await expect(call.getByRole("tabpanel", { name: "curl" })).toContainText(`curl ${baseURL}/api/v1/me`);
    const expected: Record<string, string> = {
      JavaScript: `await fetch("${baseURL}/api/v1/me"`,
      Python: `requests.get(\n    "${baseURL}/api/v1/me"`,
      Go: `http.NewRequest("GET", "${baseURL}/api/v1/me", nil)`,
    };
    for (const [language, text] of Object.entries(expected)) {
      await tabs.getByRole("tab", { name: language }).click();
      await expect(tabs.getByRole("tab", { name: language })).toHaveAttribute("aria-selected", "true");
      await expect(call.getByRole("tabpanel", { name: language })).toContainText(text);
    }
    await page.getByRole("button", { name: "Copy Call the API (Go)" }).click();
    await expect(page.getByRole("button", { name: "Copy Call the API (Go)" })).toHaveText("Copied");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`"${baseURL}/api/v1/me"`);
    expect(copied).toContain('os.Getenv("KEYPORT_KEY")');
    // The rotate example posts JSON with its Content-Type (anything else is a 415).
    const rotate = page.getByRole("region", { name: "Rotate it" });
    await expect(rotate.getByRole("tabpanel", { name: "curl" })).toContainText('-H "Content-Type: application/json"');
    // The document the reference reads names the same URL, never the bind address.
    const document = await (await page.request.get("/api/v1/openapi.json")).json();
    expect(document.servers).toEqual([{ url: baseURL, description: "This portal" }]);
  });

  test("the embedded reference shows none of Scalar's hosted-product buttons", async ({ page }) => {
    await page.goto("/docs");
    await page.locator("#reference").scrollIntoViewIfNeeded();
    await expect(page.getByRole("heading", { name: "Keyport API", exact: true })).toBeVisible({ timeout: 20_000 });
    // The operations have rendered (the sidebar lists them) before absence is checked.
    await expect(page.getByText("Create a key").first()).toBeVisible();
    const reference = page.locator("#reference").locator("..");
    for (const name of [/Ask AI/i, /Deploy/i, /Share/i, /Generate SDK/i, /^Generate$/i, /Open API Client/i, /Download/i, /Configure/i]) {
      await expect(reference.getByRole("button", { name }), String(name)).toHaveCount(0);
      await expect(reference.getByRole("link", { name }), String(name)).toHaveCount(0);
    }
    await expect(page.getByText(/Ask AI|Generate SDK|Deploy this|Share this/i)).toHaveCount(0);
    // No empty panels: the auth panel has the key's scheme chosen, and the sidebar stays in view
    // beside a later section instead of leaving a blank column.
    await expect(page.getByText("No authentication selected")).toHaveCount(0);
    // The /me operation's summary (lib/api/openapi.ts), as the teams API renamed it.
    await page.getByRole("heading", { name: "The calling key, its owner and its team" }).scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, 1200);
    await expect(page.getByRole("heading", { name: "Keyport API", exact: true })).not.toBeInViewport();
    await expect(page.getByRole("navigation", { name: "Sidebar for Keyport API" })).toBeInViewport();
    await page.screenshot({ path: test.info().outputPath("docs-reference.png"), fullPage: true });
  });
});
