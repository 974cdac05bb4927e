import { test as setup } from "@playwright/test";
import { startCli } from "../fixtures/cli";
import { PASSWORD, signIn, signUp } from "./helpers";

// Two developers and an admin, signed up once; tests reuse their sessions through storage state.
// Sign-up never makes an admin (ADMIN_EMAILS names unverified addresses), so the admin is
// promoted the way an operator does it, through the CLI; the promotion ends the admin's
// sessions, so the admin then signs in again.
for (const name of ["alice", "bob", "admin"]) {
  setup(`sign up ${name}`, async ({ page }) => {
    const email = `${name}@e2e.test`;
    await signUp(page, email);
    if (name === "admin") {
      let run = await startCli(process.env.E2E_DATABASE_URL!, ["users", "promote", email]).done;
      // SQLITE_BUSY against the running server shows as "timed out" and was rolled back: try again.
      for (let attempt = 0; attempt < 2 && run.code !== 0 && run.stderr.includes("timed out"); attempt++) {
        run = await startCli(process.env.E2E_DATABASE_URL!, ["users", "promote", email]).done;
      }
      if (run.code !== 0) throw new Error(`keyport users promote failed: ${run.stderr}`);
      await page.context().clearCookies();
      await signIn(page, email, PASSWORD);
      await page.waitForURL(/\/dashboard$/);
    }
    await page.context().storageState({ path: `tests/e2e/.auth/${name}.json` });
  });
}
