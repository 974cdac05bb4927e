import { expect, test as setup } from "@playwright/test";
import { signUp } from "./helpers";

// Two developers and an admin, signed up once; tests reuse their sessions through storage state.
// Sign-up never makes an admin: ADMIN_EMAILS (playwright.config.ts names admin@e2e.test)
// promotes an address when its owner proves it through the verification mail, which
// signUp() follows. Promotion keeps the session, so the admin goes on signed in.
for (const name of ["alice", "bob", "admin"]) {
  setup(`sign up ${name}`, async ({ page }) => {
    const email = `${name}@e2e.test`;
    await signUp(page, email);
    if (name === "admin") {
      await page.reload();
      await expect(page.getByRole("link", { name: "Admin" })).toBeVisible();
    }
    await page.context().storageState({ path: `tests/e2e/.auth/${name}.json` });
  });
}
