import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { signIn, signUp } from "./helpers";
import { waitForMail } from "./mailbox";

/** No serious or critical axe violation on the page (as tests/e2e/a11y.spec.ts checks the others). */
async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const blocking = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(blocking.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`)).toEqual([]);
}

test.describe("notifications", () => {
  test("a sign-in from a new device: the bell shows it, the page lists it, marking it read clears the count, and the mail arrives", async ({ page, browser }) => {
    const email = await signUp(page);
    const bell = page.getByTestId("notification-bell");
    await expect(bell).toHaveAccessibleName("Notifications");

    // Another browser (its own device cookie) signs in to the same account.
    const other = await browser.newContext();
    try {
      const otherPage = await other.newPage();
      await signIn(otherPage, email);
      await expect(otherPage).toHaveURL(/\/dashboard$/);
    } finally {
      await other.close();
    }

    // The outbox worker inside the server delivers the notice by mail too.
    const mail = await waitForMail({ to: email.toLowerCase(), subject: "New sign-in to your account" });
    expect(mail.text).toContain("/dashboard/sessions");

    await page.reload();
    await expect(bell).toHaveAccessibleName("Notifications, 1 unread");
    await expect(page.getByTestId("notification-count")).toHaveText("1");

    // The bell is a link: keyboard users reach the page with Enter.
    await bell.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/dashboard\/notifications$/);
    await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
    const notices = page.getByTestId("notification");
    await expect(notices).toHaveCount(1);
    await expect(notices.first()).toContainText("New sign-in from a device not seen before");
    await expect(notices.first()).toHaveAttribute("data-unread", "true");
    await expectAccessible(page);
    await page.screenshot({ path: "test-results/screenshots/notifications.png" });

    await notices.first().getByRole("button", { name: /^Mark read: / }).click();
    await expect(notices.first()).not.toHaveAttribute("data-unread", "true");
    await expect(bell).toHaveAccessibleName("Notifications");
    await expect(page.getByTestId("notification-count")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Mark all read" })).toBeDisabled();
    await expect(notices.first().getByRole("link", { name: /^Open: New sign-in/ })).toHaveAttribute("href", "/dashboard/sessions");
  });

  test("a new account has no notices: the page says so", async ({ page }) => {
    await signUp(page);
    await page.goto("/dashboard/notifications");
    await expect(page.getByTestId("notifications-empty")).toContainText("No notifications yet");
    await expect(page.getByRole("button", { name: "Mark all read" })).toBeDisabled();
  });
});
