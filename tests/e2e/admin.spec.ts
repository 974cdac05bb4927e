import { type Browser, expect, type Page, request as playwrightRequest, test } from "@playwright/test";
import { baseURL } from "../../playwright.config";
import { createKeyInUi, signUp } from "./helpers";

async function asAdmin(browser: Browser) {
  const context = await browser.newContext({ storageState: "tests/e2e/.auth/admin.json" });
  return { context, page: await context.newPage() };
}

async function newDeveloperWithKey(page: Page, keyName: string) {
  const email = await signUp(page);
  const { dialog, secret } = await createKeyInUi(page, keyName);
  await dialog.getByRole("button", { name: "I have copied it" }).click();
  return { email, secret };
}

const me = (secret: string) => playwrightRequest.newContext({ baseURL }).then(async (api) => {
  const response = await api.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
  const result = { status: response.status(), body: await response.json() };
  await api.dispose();
  return result;
});

test.describe("admin console", () => {
  test("an admin revokes a key with a reason: it gets 401 next call, and its owner sees the reason", async ({ page, browser }) => {
    const keyName = `payments-${Date.now()}`;
    const { email, secret } = await newDeveloperWithKey(page, keyName);
    expect((await me(secret)).status).toBe(200);

    const admin = await asAdmin(browser);
    await admin.page.goto("/admin/keys");
    await admin.page.getByLabel("Owner email").fill(email);
    await admin.page.getByRole("button", { name: "Apply" }).click();
    await expect(admin.page).toHaveURL(/owner=/);
    await admin.page.getByRole("button", { name: `Revoke ${keyName} of ${email}` }).click();
    const dialog = admin.page.getByRole("dialog", { name: "Revoke key" });
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await expect(dialog.locator("#field-reason-error")).toContainText("Say why");
    await dialog.getByLabel("Reason").fill("Leaked in a public repository");
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await expect(admin.page.getByText(`Revoked “${keyName}”.`)).toBeVisible();

    const refused = await me(secret);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("revoked_key");

    // The default view hides revoked keys; with them shown, the row says who revoked it and why.
    await page.goto("/dashboard?show=all");
    await expect(page.getByRole("row", { name: new RegExp(keyName) }).getByText("Revoked by an admin: Leaked in a public repository")).toBeVisible();

    // The audit log shows it, filtered by action, and the CSV export carries it.
    await admin.page.goto("/admin/audit?action=key.revoked");
    await expect(admin.page.getByRole("row", { name: /Leaked in a public repository/ })).toBeVisible();
    const csv = await admin.page.request.get("/admin/audit/export?action=key.revoked");
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const text = await csv.text();
    expect(text).toContain("Leaked in a public repository");
    expect(text).not.toMatch(/kp_test_[0-9A-Za-z]{38}/);
    await admin.context.close();
  });

  test("an admin disables a user: their keys get 401 and their dashboard session ends; enabling restores the keys", async ({ page, browser }) => {
    const { email, secret } = await newDeveloperWithKey(page, "worker");
    const admin = await asAdmin(browser);
    await admin.page.goto(`/admin?search=${encodeURIComponent(email)}`);
    await admin.page.getByRole("button", { name: `Disable ${email}` }).click();
    await admin.page.getByRole("dialog", { name: "Disable user" }).getByRole("button", { name: "Disable user" }).click();
    await expect(admin.page.getByText(`${email} is disabled`)).toBeVisible();

    const refused = await me(secret);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("owner_disabled");
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in/);

    await admin.page.getByRole("button", { name: `Enable ${email}` }).click();
    await admin.page.getByRole("dialog", { name: "Enable user" }).getByRole("button", { name: "Enable user" }).click();
    await expect(admin.page.getByText(`${email} is enabled again`)).toBeVisible();
    expect((await me(secret)).status).toBe(200);
    await admin.context.close();
  });

  test("a non-admin gets 404 on every admin page and is refused by every admin action called directly", async ({ browser }) => {
    const admin = await asAdmin(browser);
    const bob = await browser.newContext({ storageState: "tests/e2e/.auth/bob.json" });
    const bobPage = await bob.newPage();
    for (const path of ["/admin", "/admin/keys", "/admin/audit", "/admin/audit/export"]) {
      const response = await bobPage.goto(path);
      expect(response?.status(), path).toBe(404);
    }

    // The admin acts on throwaway targets; each captured call is then replayed by Bob and
    // by an anonymous caller with the ids rewritten to name another user's key and account.
    const throwaway = await newDeveloperWithKey(await (await browser.newContext()).newPage(), `throwaway-${Date.now()}`);
    const target = await newDeveloperWithKey(await (await browser.newContext()).newPage(), `target-${Date.now()}`);
    const idOf = async (url: string, testIdPrefix: string) => {
      await admin.page.goto(url);
      const testId = await admin.page.locator(`[data-testid^="${testIdPrefix}"]`).first().getAttribute("data-testid");
      return testId!.slice(testIdPrefix.length);
    };
    const ids = {
      throwawayKey: await idOf(`/admin/keys?owner=${encodeURIComponent(throwaway.email)}`, "admin-key-row-"),
      targetKey: await idOf(`/admin/keys?owner=${encodeURIComponent(target.email)}`, "admin-key-row-"),
      throwawayUser: await idOf(`/admin?search=${encodeURIComponent(throwaway.email)}`, "user-row-"),
      targetUser: await idOf(`/admin?search=${encodeURIComponent(target.email)}`, "user-row-"),
    };
    const captured: { url: string; action: string; body: string; contentType: string }[] = [];
    admin.page.on("request", (sent) => {
      if (sent.method() === "POST" && sent.headers()["next-action"]) {
        captured.push({ url: sent.url(), action: sent.headers()["next-action"], body: sent.postDataBuffer()!.toString("latin1"), contentType: sent.headers()["content-type"] });
      }
    });
    await admin.page.goto(`/admin/keys?owner=${encodeURIComponent(throwaway.email)}`);
    await admin.page.getByRole("button", { name: /^Set the rate limit of / }).click();
    await admin.page.getByLabel("Requests a minute").fill("1");
    await admin.page.getByRole("button", { name: "Save limit" }).click();
    await expect(admin.page.getByText(/may make 1 requests a minute/)).toBeVisible();
    await admin.page.getByRole("button", { name: /^Revoke / }).click();
    await admin.page.getByLabel("Reason").fill("replayed by a non-admin");
    await admin.page.getByRole("button", { name: "Revoke key" }).click();
    await expect(admin.page.getByText(/^Revoked “/)).toBeVisible();
    await admin.page.goto(`/admin?search=${encodeURIComponent(throwaway.email)}`);
    await admin.page.getByRole("button", { name: `Disable ${throwaway.email}` }).click();
    await admin.page.getByRole("button", { name: "Disable user" }).click();
    await expect(admin.page.getByText(`${throwaway.email} is disabled`)).toBeVisible();
    expect(captured).toHaveLength(3);

    const anonymous = await playwrightRequest.newContext({ baseURL });
    for (const call of captured) {
      const body = call.body.replaceAll(ids.throwawayKey, ids.targetKey).replaceAll(ids.throwawayUser, ids.targetUser);
      expect(body).not.toBe(call.body);
      for (const client of [bobPage.request, anonymous]) {
        const response = await client.post(call.url, {
          headers: { "next-action": call.action, "content-type": call.contentType, accept: "text/x-component" },
          data: Buffer.from(body, "latin1"),
          maxRedirects: 0,
        });
        const text = await response.text();
        expect(response.status() === 404 || response.status() === 307 || text.includes("Not found.")).toBe(true);
      }
    }
    // Nothing happened to the target: its key works, its account is enabled, its limit is the default.
    const still = await me(target.secret);
    expect(still.status).toBe(200);
    const limited = await (await playwrightRequest.newContext({ baseURL })).get("/api/v1/me", { headers: { authorization: `Bearer ${target.secret}` } });
    expect(limited.headers()["ratelimit-limit"]).toBe("600");
    await anonymous.dispose();
    await bob.close();
    await admin.context.close();
  });
});
