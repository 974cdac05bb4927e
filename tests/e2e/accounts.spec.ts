import AxeBuilder from "@axe-core/playwright";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { baseURL } from "../../playwright.config";
import { createKeyInUi, PASSWORD, signIn, signUp, uniqueEmail, verifyEmail } from "./helpers";
import { linkIn, mailsFor, waitForMail } from "./mailbox";

// The account journeys in Chromium against a real SMTP server (the e2e server's sink): every
// link is read from a mail that really arrived.

const NEW_PASSWORD = "a brand new passphrase 42";

/** The session cookie a browser holds, as someone who copied it would keep it. */
async function savedCookie(context: BrowserContext) {
  const cookie = (await context.cookies()).find((entry) => entry.name.endsWith("next-auth.session-token"));
  expect(cookie).toBeDefined();
  return `${cookie!.name}=${cookie!.value}`;
}

/** Whether a saved cookie still opens the dashboard (200) or is sent to sign-in. */
async function stillSignedIn(cookie: string) {
  const response = await fetch(`${baseURL}/dashboard`, { headers: { cookie }, redirect: "manual" });
  if (response.status === 200) return true;
  expect(response.headers.get("location")).toContain("/sign-in");
  return false;
}

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
}

test("sign-up → verification mail → link → the banner goes and a key can be created", async ({ page }) => {
  const email = await signUp(page, uniqueEmail("verify"), PASSWORD, { verify: false });
  const banner = page.getByRole("region", { name: "Verify your email" });
  await expect(banner).toContainText("Verify your email address to create API keys.");

  // While unverified, the key policy refuses, and the dialog says why.
  await page.getByRole("button", { name: /Create (your first )?key/ }).click();
  const dialog = page.getByRole("dialog", { name: "Create an API key" });
  await dialog.getByLabel("Name", { exact: true }).fill("too early");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText(/^Verify your email address before creating keys/)).toBeVisible();
  await page.keyboard.press("Escape");

  // "Resend" sends a second link; the first one stops working, the second verifies.
  const first = linkIn(await waitForMail({ to: email, subject: "Verify your email" }), "/verify-email/open");
  await banner.getByRole("button", { name: "Resend the link" }).click();
  await expect(banner.getByRole("status")).toContainText("We sent a new link");
  await expect.poll(() => mailsFor({ to: email, subject: "Verify your email" }).length).toBe(2);
  await page.goto(first);
  await expect(page.getByRole("heading", { name: "This link does not work" })).toBeVisible();
  await expectNoAxeViolations(page);

  await verifyEmail(page, email);
  // The page that asked for the click had no token in its address, and neither has this one.
  expect(page.url()).toBe(`${baseURL}/dashboard`);
  await expect(page.getByRole("region", { name: "Verify your email" })).toHaveCount(0);
  await createKeyInUi(page, "after verifying");
});

test("forgot password → mail → reset → every old session is refused, the new password signs in", async ({ page, browser }) => {
  const email = await signUp(page);
  const oldSession = await savedCookie(page.context());
  expect(await stillSignedIn(oldSession)).toBe(true);

  const other = await browser.newContext();
  const recovery = await other.newPage();
  await recovery.goto("/sign-in");
  await recovery.getByRole("link", { name: "Forgot password?" }).click();
  await expect(recovery).toHaveURL(/\/forgot-password$/);
  await recovery.getByLabel("Email").fill(email);
  await recovery.getByRole("button", { name: "Send reset link" }).click();
  await expect(recovery.getByRole("status")).toContainText("If an account uses that address");

  const link = linkIn(await waitForMail({ to: email, subject: "Reset your password" }), "/reset-password/open");
  await recovery.goto(link);
  await expect(recovery).toHaveURL(/\/reset-password$/);
  await expectNoAxeViolations(recovery);
  // The sign-up rules hold here too.
  await recovery.getByLabel("New password").fill("short");
  await recovery.getByRole("button", { name: "Set new password" }).click();
  await expect(recovery.getByText("Use at least 10 characters.")).toBeVisible();
  await recovery.getByLabel("New password").fill(NEW_PASSWORD);
  await recovery.getByRole("button", { name: "Set new password" }).click();
  await expect(recovery).toHaveURL(/\/reset-password\/done$/);
  await expect(recovery.getByRole("status")).toContainText("every session was signed out");

  // The first browser's saved cookie no longer opens anything, and the page sends it to sign-in.
  expect(await stillSignedIn(oldSession)).toBe(false);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in/);

  // The link was single-use.
  await recovery.goto(link);
  await expect(recovery.getByRole("heading", { name: "This link does not work" })).toBeVisible();

  await signIn(recovery, email, PASSWORD);
  await expect(recovery.getByText("Email or password is incorrect.")).toBeVisible();
  await signIn(recovery, email, NEW_PASSWORD);
  await expect(recovery).toHaveURL(/\/dashboard$/);
  await waitForMail({ to: email, subject: "Your password was reset" });
  await other.close();
});

test("an unknown address gets the same answer on the forgot-password page, and no mail", async ({ page }) => {
  const nobody = uniqueEmail("nobody");
  await page.goto("/forgot-password");
  await expectNoAxeViolations(page);
  await page.getByLabel("Email").fill(nobody);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "If an account uses that address, we have sent it a link to choose a new password. The link works once, for 30 minutes.",
  );
  expect(mailsFor({ to: nobody })).toEqual([]);
});

test("the account page changes the password (other sessions end) and the email (after the new address's link; the old one is told)", async ({ page, browser }) => {
  const email = await signUp(page);
  const elsewhere = await browser.newContext();
  const otherPage = await elsewhere.newPage();
  await signIn(otherPage, email, PASSWORD);
  await expect(otherPage).toHaveURL(/\/dashboard$/);
  const otherSession = await savedCookie(elsewhere);

  await page.getByRole("link", { name: "Account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { name: "Account", level: 1 })).toBeVisible();
  await expectNoAxeViolations(page);

  const password = page.getByRole("region", { name: "Password" });
  await password.getByLabel("Current password").fill("not my password");
  await password.getByLabel("New password").fill(NEW_PASSWORD);
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByText("That is not your current password.")).toBeVisible();
  // What was typed stays (the form is not reset by a refusal).
  await expect(password.getByLabel("New password")).toHaveValue(NEW_PASSWORD);
  await password.getByLabel("Current password").fill(PASSWORD);
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByRole("status")).toHaveText("Password changed. One other session was signed out.");
  expect(await stillSignedIn(otherSession)).toBe(false);
  await page.reload();
  await expect(page).toHaveURL(/\/account$/);
  await elsewhere.close();

  const newEmail = uniqueEmail("moved");
  const section = page.getByRole("region", { name: "Email address" });
  await section.getByLabel("New email address").fill(newEmail);
  await section.getByLabel("Current password").fill(NEW_PASSWORD);
  await section.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(section.getByRole("status")).toContainText("We sent a link to the new address");
  await page.reload();
  await expect(page.getByTestId("account-email")).toHaveText(email);

  await page.goto(linkIn(await waitForMail({ to: newEmail, subject: "Confirm your new email address" }), "/verify-email/open"));
  await expect(page).toHaveURL(/\/verify-email$/);
  await page.getByRole("button", { name: "Confirm new email address" }).click();
  await expect(page).toHaveURL(/\/account\?email=changed$/);
  await expect(page.getByTestId("account-email")).toHaveText(newEmail);
  const notice = await waitForMail({ to: email, subject: "Your email address changed" });
  expect(notice.text).toContain(newEmail);

  await page.context().clearCookies();
  await signIn(page, newEmail, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("deleting the account needs the password, revokes its keys and frees the address", async ({ page }) => {
  const email = await signUp(page);
  const { secret } = await createKeyInUi(page, "dies with the account", { scopes: ["me:read"] });
  const me = () => fetch(`${baseURL}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
  expect((await me()).status).toBe(200);

  await page.goto("/account");
  const danger = page.getByRole("region", { name: "Delete account" });
  await danger.getByLabel("Your password").fill("not my password");
  await danger.getByRole("button", { name: "Delete my account" }).click();
  await expect(danger.getByText("That is not your current password.")).toBeVisible();
  await danger.getByLabel("Your password").fill(PASSWORD);
  await danger.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/account-deleted$/);
  await expect(page.getByRole("heading", { name: "Your account is deleted" })).toBeVisible();

  expect((await me()).status).toBe(401);
  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/sign-in/);
  // The address can sign up again, as a new account (signUp follows the new account's own link).
  await signUp(page, email);
});
