import { test as setup } from "@playwright/test";
import { signUp } from "./helpers";

// Two developers and an admin (ADMIN_EMAILS names admin@e2e.test), signed up once; tests reuse their sessions through storage state.
for (const name of ["alice", "bob", "admin"]) {
  setup(`sign up ${name}`, async ({ page }) => {
    await signUp(page, `${name}@e2e.test`);
    await page.context().storageState({ path: `tests/e2e/.auth/${name}.json` });
  });
}
