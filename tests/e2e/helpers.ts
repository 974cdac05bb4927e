import { randomUUID } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import { linkIn, mailsFor } from "./mailbox";

export const PASSWORD = "correct horse battery staple";

export function uniqueEmail(label: string) {
  return `${label}-${randomUUID().slice(0, 8)}@e2e.test`;
}

const VERIFY_SUBJECT = "Verify your email";

/**
 * Signs up through the form, follows the verification mail (the e2e server has SMTP_URL set,
 * so REQUIRE_EMAIL_VERIFICATION is on and an unverified account cannot create keys), and
 * lands on the dashboard. `verify: false` stops on the dashboard with the address unverified.
 */
export async function signUp(page: Page, email = uniqueEmail("dev"), password = PASSWORD, options: { verify?: boolean } = {}) {
  const address = email.trim().toLowerCase();
  const seen = mailsFor({ to: address, subject: VERIFY_SUBJECT }).length;
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  if (options.verify !== false) await verifyEmail(page, address, seen);
  return email;
}

/**
 * Opens the newest verification link mailed to `email` and confirms it; ends on the dashboard.
 * `seen`: how many such mails had arrived before, so an older link is never taken for the new one.
 */
export async function verifyEmail(page: Page, email: string, seen?: number) {
  let link = "";
  await expect
    .poll(() => {
      const mails = mailsFor({ to: email, subject: VERIFY_SUBJECT });
      if (mails.length === 0 || (seen !== undefined && mails.length <= seen)) return false;
      link = linkIn(mails.at(-1)!, "/verify-email/open");
      return true;
    }, { timeout: 20_000, message: `a verification mail for ${email}` })
    .toBe(true);
  await page.goto(link);
  // The link's token is moved into a cookie at once: the page that asks for the click has a clean URL.
  await expect(page).toHaveURL(/\/verify-email$/);
  await page.getByRole("button", { name: "Verify email address" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
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
