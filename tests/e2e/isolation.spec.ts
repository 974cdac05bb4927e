import { expect, type Page, request as playwrightRequest, test } from "@playwright/test";
import { baseURL } from "../../playwright.config";
import { createKeyInUi, keyAction } from "./helpers";

// Resource ids come from the other user: Bob's own requests are rewritten to name
// Alice's key, so the server must refuse on its own, not because a button is missing.

async function keyIdOf(page: Page, name: string) {
  const href = await page.getByRole("link", { name, exact: true }).first().getAttribute("href");
  return href!.split("/").pop()!;
}

test.describe("one developer cannot touch another's keys", () => {
  test("Bob cannot see, rename, roll or revoke Alice's key, and anonymous calls are refused", async ({ browser }) => {
    const alice = await browser.newContext({ storageState: "tests/e2e/.auth/alice.json" });
    const bob = await browser.newContext({ storageState: "tests/e2e/.auth/bob.json" });
    const alicePage = await alice.newPage();
    const bobPage = await bob.newPage();

    const aliceKeyName = `alice-${Date.now()}`;
    const { dialog, secret: aliceSecret } = await createKeyInUi(alicePage, aliceKeyName);
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    const aliceKeyId = await keyIdOf(alicePage, aliceKeyName);

    // Pages: another user's key id is a 404, and the list shows only your own keys.
    const keyPage = await bobPage.goto(`/dashboard/keys/${aliceKeyId}`);
    expect(keyPage?.status()).toBe(404);
    await bobPage.goto("/dashboard");
    await expect(bobPage.getByText(aliceKeyName)).toHaveCount(0);

    const bobKeyName = `bob-${Date.now()}`;
    const bobDialog = (await createKeyInUi(bobPage, bobKeyName)).dialog;
    await bobDialog.getByRole("button", { name: "I have copied it" }).click();
    const bobKeyId = await keyIdOf(bobPage, bobKeyName);
    expect(bobKeyId).toHaveLength(aliceKeyId.length);

    const replayed: { action: string; body: Buffer; contentType: string }[] = [];
    await bobPage.route("**/dashboard", async (route) => {
      const sent = route.request();
      if (sent.method() !== "POST" || !sent.headers()["next-action"]) return route.continue();
      const body = Buffer.from(sent.postDataBuffer()!.toString("latin1").replaceAll(bobKeyId, aliceKeyId), "latin1");
      replayed.push({ action: sent.headers()["next-action"], body, contentType: sent.headers()["content-type"] });
      await route.continue({ postData: body });
    });

    await keyAction(bobPage, bobKeyName, "Rename");
    const rename = bobPage.getByRole("dialog", { name: "Rename key" });
    await rename.getByLabel("Name", { exact: true }).fill("stolen");
    await rename.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => replayed.length).toBe(1);
    await expect(bobPage.getByText("That key does not exist.")).toBeVisible();
    await rename.getByRole("button", { name: "Cancel" }).click();

    await keyAction(bobPage, bobKeyName, "Roll");
    const roll = bobPage.getByRole("dialog", { name: "Roll key" });
    await roll.getByRole("button", { name: "Roll key" }).click();
    await expect.poll(() => replayed.length).toBe(2);
    await expect(bobPage.getByText("That key does not exist.").last()).toBeVisible();
    await expect(roll.getByTestId("new-secret")).toHaveCount(0);
    await roll.getByRole("button", { name: "Cancel" }).click();

    await keyAction(bobPage, bobKeyName, "Revoke");
    const revoke = bobPage.getByRole("dialog", { name: "Revoke key" });
    await revoke.getByRole("button", { name: "Revoke key" }).click();
    await expect(bobPage.getByText("That key does not exist.").last()).toBeVisible();
    await expect.poll(() => replayed.length).toBe(3);

    // Alice's key is untouched: same name, still authenticates, no new audit events.
    const me = await alicePage.request.get("/api/v1/me", { headers: { authorization: `Bearer ${aliceSecret}` } });
    expect(me.status()).toBe(200);
    expect((await me.json()).key.name).toBe(aliceKeyName);
    await alicePage.goto(`/dashboard/keys/${aliceKeyId}`);
    await expect(alicePage.getByRole("region", { name: "Activity" }).getByRole("listitem")).toHaveCount(1);

    // The same action calls with no session at all are refused too.
    const anonymous = await playwrightRequest.newContext({ baseURL });
    for (const call of replayed) {
      const response = await anonymous.post("/dashboard", {
        headers: { "next-action": call.action, "content-type": call.contentType, accept: "text/x-component" },
        data: call.body,
        maxRedirects: 0,
      });
      const text = await response.text();
      expect(text).not.toMatch(/kp_test_[0-9A-Za-z]{38}/);
      expect(response.status() === 303 || response.status() === 307 || text.includes("Your session has ended")).toBe(true);
    }
    // An admin has no reach through the developer's actions either: they act on the caller's own keys.
    const admin = await browser.newContext({ storageState: "tests/e2e/.auth/admin.json" });
    for (const call of replayed) {
      const response = await admin.request.post("/dashboard", {
        headers: { "next-action": call.action, "content-type": call.contentType, accept: "text/x-component" },
        data: call.body,
      });
      expect(await response.text()).toContain("That key does not exist.");
    }
    await admin.close();
    const stillThere = await anonymous.get("/api/v1/me", { headers: { authorization: `Bearer ${aliceSecret}` } });
    expect(stillThere.status()).toBe(200);
    await anonymous.dispose();
    await alice.close();
    await bob.close();
  });
});
