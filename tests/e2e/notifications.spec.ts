import { expect, test } from "@playwright/test";
import { signIn, signUp } from "./helpers";
import { waitForMail } from "./mailbox";

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

    await notices.first().getByRole("button", { name: /^Mark read: / }).click();
    await expect(notices.first()).not.toHaveAttribute("data-unread", "true");
    await expect(bell).toHaveAccessibleName("Notifications");
    await expect(page.getByTestId("notification-count")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Mark all read" })).toBeDisabled();
    await expect(notices.first().getByRole("link", { name: "Open" })).toHaveAttribute("href", "/dashboard/sessions");
  });

  test("a new account has no notices: the page says so", async ({ page }) => {
    await signUp(page);
    await page.goto("/dashboard/notifications");
    await expect(page.getByTestId("notifications-empty")).toContainText("No notifications yet");
    await expect(page.getByRole("button", { name: "Mark all read" })).toBeDisabled();
  });
});
