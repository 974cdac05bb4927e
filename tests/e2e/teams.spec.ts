import { randomUUID } from "node:crypto";
import { type Browser, expect, type Page, request as playwrightRequest, test } from "@playwright/test";
import { baseURL } from "../../playwright.config";
import { createKeyInUi, signUp, uniqueEmail } from "./helpers";
import { linkIn, waitForMail } from "./mailbox";

// Issue #12's journey in Chromium, over real SMTP (the e2e server's sink): an owner creates a
// team, invites people by email, they accept, a developer makes a team key that outlives their
// membership, a viewer can neither see nor force a revoke, and a suspension stops the key.

const me = (secret: string) =>
  playwrightRequest.newContext({ baseURL }).then(async (api) => {
    const response = await api.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
    const result = { status: response.status(), body: await response.json() };
    await api.dispose();
    return result;
  });

async function person(browser: Browser, label: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const email = await signUp(page, uniqueEmail(label));
  return { context, page, email: email.toLowerCase() };
}

/** Invites `email` with `role` from the team's settings page; returns the link shown once. */
async function invite(page: Page, slug: string, email: string, role: "Developer" | "Viewer") {
  await page.goto(`/dashboard/teams/${slug}/settings`);
  const form = page.getByRole("form", { name: "Invite someone" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption({ label: role });
  await form.getByRole("button", { name: "Send invitation" }).click();
  const shown = await page.getByTestId("invite-link").inputValue();
  expect(shown).toMatch(new RegExp(`/invite/[A-Za-z0-9_-]{43}$`));
  await expect(page.getByTestId(`invite-row-${email}`)).toBeVisible();
  return shown;
}

/** Opens the invitation mailed to the page's user and joins; the token never stays in the address bar. */
async function acceptMailedInvite(page: Page, email: string, teamName: string, slug: string) {
  const mail = await waitForMail({ to: email, subject: new RegExp(`Join ${teamName}`) });
  const link = linkIn(mail, "/invite/");
  const opened = page.waitForResponse((response) => response.url() === link);
  await page.goto(link);
  const redirect = await opened;
  expect(redirect.status()).toBe(303);
  expect(redirect.headers()["referrer-policy"]).toBe("no-referrer");
  await expect(page).toHaveURL(/\/invite$/);
  await expect(page.locator('meta[name="referrer"]')).toHaveAttribute("content", "no-referrer");
  await page.getByRole("button", { name: `Join ${teamName}` }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/teams/${slug}/keys$`));
  expect(page.url()).not.toContain(link.split("/invite/")[1]);
}

test.describe("teams", () => {
  test("owner, developer and viewer: the team key outlives its creator, a viewer cannot revoke it, a suspension stops it", async ({ browser }) => {
    test.setTimeout(180_000);
    const owner = await person(browser, "owner");
    const developer = await person(browser, "teamdev");
    const viewer = await person(browser, "viewer");
    const slug = `acme-${randomUUID().slice(0, 8)}`;
    const teamName = `Acme ${slug.slice(5)}`;

    // The switcher is a menu button: the keyboard opens it and reaches "Create team…".
    await owner.page.goto("/dashboard");
    const switcher = owner.page.getByRole("button", { name: "Switch team (now: Personal)" });
    await switcher.focus();
    await owner.page.keyboard.press("Enter");
    const menu = owner.page.getByRole("menu", { name: "Switch team (now: Personal)" });
    await expect(menu.getByRole("menuitemradio", { name: "Personal" })).toHaveAttribute("aria-checked", "true");
    await owner.page.keyboard.press("End");
    await expect(menu.getByRole("menuitem", { name: "Create team…" })).toBeFocused();
    await owner.page.keyboard.press("Enter");
    await expect(owner.page).toHaveURL(/\/dashboard\/teams\/new$/);

    // A bad URL name is answered next to its field; the form keeps what was typed.
    await owner.page.getByLabel("Team name").fill(teamName);
    await owner.page.getByLabel("URL name").fill("Not a slug!");
    await owner.page.getByRole("button", { name: "Create team" }).click();
    await expect(owner.page.locator("#field-slug-error")).toContainText("lower-case letters");
    await expect(owner.page.getByLabel("Team name")).toHaveValue(teamName);
    await owner.page.getByLabel("URL name").fill(slug);
    await owner.page.getByRole("button", { name: "Create team" }).click();
    await expect(owner.page).toHaveURL(new RegExp(`/dashboard/teams/${slug}/keys$`));
    await expect(owner.page.getByRole("button", { name: `Switch team (now: ${teamName})` })).toBeVisible();

    // Invitations by email, each link shown once on the page and mailed over SMTP.
    await invite(owner.page, slug, developer.email, "Developer");
    await invite(owner.page, slug, viewer.email, "Viewer");
    await acceptMailedInvite(developer.page, developer.email, teamName, slug);
    await acceptMailedInvite(viewer.page, viewer.email, teamName, slug);

    // The developer creates a team key: it answers /api/v1/me with the team.
    const keyName = `prod-${slug}`;
    await developer.page.getByRole("button", { name: /Create (your first )?key/ }).click();
    const dialog = developer.page.getByRole("dialog", { name: "Create an API key" });
    await dialog.getByLabel("Name", { exact: true }).fill(keyName);
    await dialog.getByRole("button", { name: "Create key" }).click();
    const secret = await dialog.getByTestId("new-secret").inputValue();
    expect(secret).toMatch(/^kp_test_[0-9A-Za-z]{38}$/);
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    const first = await me(secret);
    expect(first.status).toBe(200);
    expect(first.body.team).toMatchObject({ slug, name: teamName });
    const teamKeyId: string = first.body.key.id;
    expect(first.body.createdBy).toMatchObject({ email: developer.email });

    // The owner removes the developer: the developer's team pages are gone on the next
    // request, and the key they created keeps answering, still the team's.
    await owner.page.goto(`/dashboard/teams/${slug}/settings`);
    await owner.page.getByRole("button", { name: `Remove ${developer.email}` }).click();
    await owner.page.getByRole("dialog", { name: "Remove member" }).getByRole("button", { name: "Remove member" }).click();
    await expect(owner.page.getByTestId(`member-row-${developer.email}`)).toHaveCount(0);
    const afterRemoval = await me(secret);
    expect(afterRemoval.status).toBe(200);
    expect(afterRemoval.body.team).toMatchObject({ slug });
    const gone = await developer.page.goto(`/dashboard/teams/${slug}/keys`);
    expect(gone?.status()).toBe(404);

    // The viewer sees the key but no way to change it: the only action is "View details".
    await viewer.page.goto(`/dashboard/teams/${slug}/keys`);
    await expect(viewer.page.getByRole("link", { name: keyName })).toBeVisible();
    await expect(viewer.page.getByRole("button", { name: /Create (your first )?key/ })).toHaveCount(0);
    await viewer.page.getByRole("button", { name: `Actions for ${keyName}`, exact: true }).click();
    const viewerMenu = viewer.page.getByRole("menu", { name: `Actions for ${keyName}` });
    await expect(viewerMenu.getByRole("menuitem")).toHaveText(["View details"]);
    await viewer.page.keyboard.press("Escape");
    await viewer.page.getByRole("link", { name: keyName }).click();
    await expect(viewer.page.getByRole("heading", { name: keyName })).toBeVisible();
    await expect(viewer.page.getByRole("button", { name: `Actions for ${keyName}` })).toHaveCount(0);
    await expect(viewer.page.getByRole("form", { name: "Scopes" })).toHaveCount(0);

    // A hostile viewer posts the real revoke action anyway: their own personal key's revoke
    // form, pointed at the team key (its id and the team's slug put in by hand). lib refuses it.
    const own = await createKeyInUi(viewer.page, `mine-${slug}`);
    await own.dialog.getByRole("button", { name: "I have copied it" }).click();
    await viewer.page.getByRole("button", { name: `Actions for mine-${slug}`, exact: true }).click();
    await viewer.page.getByRole("menu", { name: `Actions for mine-${slug}` }).getByRole("menuitem", { name: "Revoke", exact: true }).click();
    const revokeDialog = viewer.page.getByRole("dialog", { name: "Revoke key" });
    await revokeDialog.locator("form").evaluate((form, values) => {
      (form.querySelector('input[name="keyId"]') as HTMLInputElement).value = values.keyId;
      const team = document.createElement("input");
      team.type = "hidden";
      team.name = "team";
      team.value = values.slug;
      form.appendChild(team);
    }, { keyId: teamKeyId, slug });
    await revokeDialog.getByRole("button", { name: "Revoke key" }).click();
    await expect(viewer.page.getByText("Your role in this team does not allow changing keys.")).toBeVisible();
    expect((await me(secret)).status).toBe(200);

    // The owner suspends the team with a reason: the key is refused; owners see why.
    await owner.page.goto(`/dashboard/teams/${slug}/settings`);
    await owner.page.getByRole("button", { name: "Suspend team" }).click();
    const suspend = owner.page.getByRole("dialog", { name: "Suspend the team" });
    await suspend.getByLabel("Reason").fill("Card payment failed");
    await suspend.getByRole("button", { name: "Suspend team" }).click();
    await expect(owner.page.getByTestId("team-suspended")).toContainText("Card payment failed");
    const refused = await me(secret);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("team_suspended");
    await viewer.page.goto(`/dashboard/teams/${slug}/keys`);
    await expect(viewer.page.getByTestId("team-suspended")).toContainText("Ask one of its owners why");
    await expect(viewer.page.getByTestId("team-suspended")).not.toContainText("Card payment failed");

    // The team's audit log has the story; its CSV export carries it and no secret.
    await owner.page.goto(`/dashboard/teams/${slug}/audit?action=team.member_removed`);
    await expect(owner.page.getByRole("row", { name: new RegExp(developer.email) })).toBeVisible();
    const csv = await owner.page.request.get(`/dashboard/teams/${slug}/audit/export`);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const text = await csv.text();
    for (const action of ["team.created", "team.invite_sent", "team.invite_accepted", "key.created", "team.member_removed", "team.suspended"]) expect(text).toContain(action);
    expect(text).not.toMatch(/kp_test_[0-9A-Za-z]{38}/);
    // A viewer reads the log but cannot export it.
    expect((await viewer.page.request.get(`/dashboard/teams/${slug}/audit/export`)).status()).toBe(404);

    for (const who of [owner, developer, viewer]) await who.context.close();
  });

  test("the invitation page says so before any click when the account is wrong, unverified or signed out", async ({ browser }) => {
    const owner = await person(browser, "inviter");
    const slug = `inv-${randomUUID().slice(0, 8)}`;
    const teamName = `Inv ${slug.slice(4)}`;
    await owner.page.goto("/dashboard/teams/new");
    await owner.page.getByLabel("Team name").fill(teamName);
    await owner.page.getByLabel("URL name").fill(slug);
    await owner.page.getByRole("button", { name: "Create team" }).click();
    await expect(owner.page).toHaveURL(new RegExp(`/dashboard/teams/${slug}/keys$`));

    const invitedContext = await browser.newContext();
    const invitedPage = await invitedContext.newPage();
    const invited = (await signUp(invitedPage, uniqueEmail("unverified"), undefined, { verify: false })).toLowerCase();
    const link = await invite(owner.page, slug, invited, "Developer");

    await invitedPage.goto(link);
    await expect(invitedPage).toHaveURL(/\/invite$/);
    await expect(invitedPage.getByRole("heading", { name: "Verify your email first" })).toBeVisible();
    await expect(invitedPage.getByRole("button", { name: `Join ${teamName}` })).toHaveCount(0);

    const aliceContext = await browser.newContext({ storageState: "tests/e2e/.auth/alice.json" });
    const alice = await aliceContext.newPage();
    await alice.goto(link);
    await expect(alice.getByRole("heading", { name: "Wrong account" })).toBeVisible();
    await expect(alice.locator("p[role=alert]")).toContainText("You are signed in as alice@e2e.test");

    const anonymousContext = await browser.newContext();
    const anonymous = await anonymousContext.newPage();
    await anonymous.goto(link);
    await expect(anonymous.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/sign-in?callbackUrl=%2Finvite");

    // None of these used the invitation: it is still pending on the team's page.
    await owner.page.goto(`/dashboard/teams/${slug}/settings`);
    await expect(owner.page.getByTestId(`invite-row-${invited}`)).toBeVisible();
    for (const context of [invitedContext, aliceContext, anonymousContext, owner.context]) await context.close();
  });

  test("the site admin lists a team with its members and keys, and suspends and unsuspends it through lib/teams", async ({ browser }) => {
    const owner = await person(browser, "teamowner");
    const slug = `site-${randomUUID().slice(0, 8)}`;
    await owner.page.goto("/dashboard/teams/new");
    await owner.page.getByLabel("Team name").fill(`Site ${slug}`);
    await owner.page.getByLabel("URL name").fill(slug);
    await owner.page.getByRole("button", { name: "Create team" }).click();
    await expect(owner.page).toHaveURL(new RegExp(`/dashboard/teams/${slug}/keys$`));
    await owner.page.getByRole("button", { name: /Create (your first )?key/ }).click();
    const dialog = owner.page.getByRole("dialog", { name: "Create an API key" });
    await dialog.getByLabel("Name", { exact: true }).fill("site key");
    await dialog.getByRole("button", { name: "Create key" }).click();
    const secret = await dialog.getByTestId("new-secret").inputValue();
    await dialog.getByRole("button", { name: "I have copied it" }).click();

    // A personal key moved into the team keeps its secret and is the team's from then on.
    const personal = await createKeyInUi(owner.page, "moved key");
    await personal.dialog.getByRole("button", { name: "I have copied it" }).click();
    expect((await me(personal.secret)).body.team).toBeNull();
    await owner.page.getByRole("link", { name: "moved key" }).click();
    await owner.page.getByRole("button", { name: "Move to a team" }).click();
    const move = owner.page.getByRole("dialog", { name: "Move the key to a team" });
    await move.getByLabel("Team").selectOption({ label: `Site ${slug}` });
    await move.getByRole("button", { name: "Move key" }).click();
    await expect(owner.page).toHaveURL(new RegExp(`/dashboard/teams/${slug}/keys/[^/]+$`));
    expect((await me(personal.secret)).body.team).toMatchObject({ slug });
    await owner.page.goto("/dashboard?show=all");
    await expect(owner.page.getByRole("link", { name: "moved key" })).toHaveCount(0);

    const adminContext = await browser.newContext({ storageState: "tests/e2e/.auth/admin.json" });
    const admin = await adminContext.newPage();
    await admin.goto("/admin/teams");
    await admin.getByTestId(`team-row-${slug}`).getByRole("link", { name: `Site ${slug}` }).click();
    await expect(admin.getByRole("table", { name: "Members" })).toContainText(owner.email);
    await expect(admin.getByRole("table", { name: "Team keys" })).toContainText("site key");

    await admin.getByRole("button", { name: `Suspend Site ${slug}`, exact: true }).click();
    const suspend = admin.getByRole("dialog", { name: "Suspend team" });
    await suspend.getByRole("button", { name: "Suspend team" }).click();
    await expect(suspend.locator("#field-reason-error")).toBeVisible();
    await suspend.getByLabel("Reason").fill("Abuse report 4711");
    await suspend.getByRole("button", { name: "Suspend team" }).click();
    await expect(admin.locator("p[role=status]")).toContainText("Abuse report 4711");
    expect((await me(secret)).status).toBe(401);

    // The owner sees the site admins' reason, and cannot lift their suspension.
    await owner.page.goto(`/dashboard/teams/${slug}/settings`);
    await expect(owner.page.getByTestId("team-suspended")).toContainText("Abuse report 4711");
    await owner.page.getByRole("button", { name: "Lift suspension" }).click();
    await owner.page.getByRole("dialog", { name: "Lift the suspension" }).getByRole("button", { name: "Lift suspension" }).click();
    await expect(owner.page.getByText("only they can lift it")).toBeVisible();
    expect((await me(secret)).status).toBe(401);

    await admin.getByRole("button", { name: `Unsuspend Site ${slug}` }).click();
    await admin.getByRole("dialog", { name: "Lift the suspension" }).getByRole("button", { name: "Unsuspend team" }).click();
    // exact: "Suspend Site …" is also a substring of the "Unsuspend Site …" button still on the page until the action answers.
    await expect(admin.getByRole("button", { name: `Suspend Site ${slug}`, exact: true })).toBeVisible();
    expect((await me(secret)).status).toBe(200);
    await adminContext.close();
    await owner.context.close();
  });
});
