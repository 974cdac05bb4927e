import { randomUUID } from "node:crypto";
import { expect, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery staple";

export function uniqueEmail(label: string) {
  return `${label}-${randomUUID().slice(0, 8)}@e2e.test`;
}

/** Signs up through the form and lands on the dashboard. */
export async function signUp(page: Page, email = uniqueEmail("dev"), password = PASSWORD) {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  return email;
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Creates a key through the dialog and returns its secret, read from the reveal. */
export async function createKeyInUi(page: Page, name: string, options: { environment?: "test" | "live"; scopes?: string[] } = {}) {
  await page.goto("/dashboard");
  await page.getByRole("button", { name: /Create (your first )?key/ }).click();
  const dialog = page.getByRole("dialog", { name: "Create an API key" });
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  if (options.environment === "live") await dialog.getByLabel("live").check();
  for (const scope of options.scopes ?? []) await dialog.getByLabel(scope).check();
  await dialog.getByRole("button", { name: "Create key" }).click();
  const secret = await dialog.getByTestId("new-secret").inputValue();
  expect(secret).toMatch(/^kp_(test|live)_[0-9A-Za-z]{38}$/);
  return { dialog, secret };
}

/** Opens a key's actions menu ("Actions for <name>") and picks one of its items. */
export async function keyAction(page: Page, name: string, item: "View details" | "Rename" | "Roll" | "Revoke") {
  await page.getByRole("button", { name: `Actions for ${name}`, exact: true }).click();
  await page.getByRole("menu", { name: `Actions for ${name}` }).getByRole("menuitem", { name: item, exact: true }).click();
}

/** Rolls a key through its dialog and returns the dialog and the new secret, read from the reveal. */
export async function rollKeyInUi(page: Page, name: string, options: { grace: string; startOnFirstUse?: boolean; expiry?: string }) {
  await keyAction(page, name, "Roll");
  const dialog = page.getByRole("dialog", { name: "Roll key" });
  await dialog.getByLabel("Old key keeps working for").selectOption({ label: options.grace });
  if (options.expiry) await dialog.getByLabel("New key expires").selectOption({ label: options.expiry });
  if (options.startOnFirstUse) await dialog.getByLabel(/Start that grace only when the new key is first used/).check();
  await dialog.getByRole("button", { name: "Roll key" }).click();
  return { dialog, secret: await dialog.getByTestId("new-secret").inputValue() };
}
