import { expect, type Page, test } from "@playwright/test";
import { baseURL } from "../../playwright.config";
import { createKeyInUi, PASSWORD, signUp, uniqueEmail } from "./helpers";

// Every URL the page's main frame went to, so a test can say no password was ever in one.
function recordUrls(page: Page) {
  const urls: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) urls.push(frame.url());
  });
  page.on("request", (request) => {
    if (request.isNavigationRequest()) urls.push(`${request.method()} ${request.url()}`);
  });
  return urls;
}

const noPassword = (urls: string[]) => {
  for (const url of urls) {
    expect(url).not.toContain("password=");
    expect(url).not.toContain(encodeURIComponent(PASSWORD));
    expect(url).not.toContain(PASSWORD.replaceAll(" ", "+"));
  }
};

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-up and sign-in work with JavaScript disabled, and no URL ever holds the password", async ({ page }) => {
    const urls = recordUrls(page);
    const email = uniqueEmail("nojs");
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in/);

    // A wrong password: the refusal is next to the field, the email is kept, the password is not.
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("not the password at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#field-password-error")).toHaveText("Email or password is incorrect.");
    await expect(page.getByLabel("Email")).toHaveValue(email);
    await expect(page.getByLabel("Password")).toHaveValue("");

    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    noPassword(urls);
    expect(urls.some((url) => url.startsWith("POST "))).toBe(true);
  });

  test("sign-up errors come back next to the field without JavaScript, the typed email kept", async ({ page }) => {
    const urls = recordUrls(page);
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#field-email-error")).toHaveText("Enter a valid email address.");
    await expect(page.locator("#field-password-error")).toHaveText("Use at least 10 characters.");
    await expect(page.getByLabel("Email")).toHaveValue("not-an-email");
    noPassword(urls);
  });
});

test.describe("sign-up over HTTP", () => {
  test.use({ javaScriptEnabled: false });

  test("a sign-up for a taken email (with its owner's password) answers byte for byte as one for a new email: status, body, Location and Set-Cookie names", async ({ page }) => {
    // The form post a browser without JavaScript sends, captured once and replayed with other emails.
    const first = uniqueEmail("taken");
    let captured: { headers: Record<string, string>; body: Buffer } | undefined;
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().endsWith("/sign-up")) captured = { headers: request.headers(), body: request.postDataBuffer()! };
    });
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(first);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    expect(captured).toBeDefined();

    const send = async (email: string, password = PASSWORD) => {
      // Same length emails, so the multipart body differs only in those bytes.
      const body = Buffer.from(captured!.body.toString("latin1").replace(first, email).replace(PASSWORD, password), "latin1");
      const response = await fetch(`${baseURL}/sign-up`, {
        method: "POST",
        headers: { "content-type": captured!.headers["content-type"], origin: baseURL, "user-agent": "byte-compare" },
        body,
        redirect: "manual",
      });
      return {
        status: response.status,
        location: response.headers.get("location"),
        cookieNames: response.headers.getSetCookie().map((line) => line.split("=")[0]).sort(),
        body: await response.text(),
      };
    };
    const fresh = first.replace("taken", "fresh");
    expect(fresh.length).toBe(first.length);
    const taken = await send(first);
    const created = await send(fresh);
    expect(taken.status).toBeGreaterThanOrEqual(300);
    expect(taken.location).toBe("/dashboard");
    // The session, and the device cookie a new browser gets at its first sign-in (lib/sessions/device-cookie.ts).
    expect(taken.cookieNames).toEqual(["keyport-device", "next-auth.session-token"]);
    expect(created).toEqual(taken);
  });
});

test.describe("before hydration", () => {
  /** Holds back every script until `release` is called, so the page is server HTML with nothing hydrated. */
  async function holdScripts(page: Page) {
    const held: (() => void)[] = [];
    let released = false;
    await page.route(/\/_next\/static\/.*\.js(\?|$)/, async (route) => {
      if (released) return route.continue();
      await new Promise<void>((resolve) => held.push(resolve));
      await route.continue();
    });
    return () => {
      released = true;
      for (const resume of held.splice(0)) resume();
    };
  }

  test("a sign-up submitted before the page hydrates is a POST: the password never reaches a URL", async ({ page }) => {
    const release = await holdScripts(page);
    const urls = recordUrls(page);
    await page.goto("/sign-up", { waitUntil: "domcontentloaded" });
    expect(await page.locator("form").first().getAttribute("method")).toMatch(/^post$/i);
    await page.getByLabel("Email").fill(uniqueEmail("early"));
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    release();
    noPassword(urls);
    // The browser itself posted the form (a navigation), since nothing was hydrated to do it.
    expect(urls.filter((url) => url.startsWith("POST ")).map((url) => new URL(url.slice(5)).pathname)).toEqual(["/sign-up"]);
  });

  test("a sign-in submitted before the page hydrates is a POST: the password never reaches a URL", async ({ page, browser }) => {
    // An account to sign in to, made in another browser.
    const email = uniqueEmail("early-in");
    const other = await browser.newPage();
    await other.goto("/sign-up");
    await other.getByLabel("Email").fill(email);
    await other.getByLabel("Password").fill(PASSWORD);
    await other.getByRole("button", { name: "Create account" }).click();
    await expect(other).toHaveURL(/\/dashboard$/);
    await other.close();

    const release = await holdScripts(page);
    const urls = recordUrls(page);
    await page.goto("/sign-in", { waitUntil: "domcontentloaded" });
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    release();
    noPassword(urls);
    expect(urls.filter((url) => url.startsWith("POST ")).map((url) => new URL(url.slice(5)).pathname)).toEqual(["/sign-in"]);
  });

  test("a dashboard form submitted before hydration is a POST that puts nothing in the URL and answers a page, not a 500", async ({ page }) => {
    await signUp(page);
    const { dialog } = await createKeyInUi(page, "early allowlist");
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    await page.getByRole("link", { name: "early allowlist" }).click();
    await expect(page.getByLabel("Allowed IP addresses")).toBeVisible();
    const keyPage = page.url();

    const release = await holdScripts(page);
    const urls = recordUrls(page);
    const answers: number[] = [];
    page.on("response", (response) => {
      if (response.request().isNavigationRequest()) answers.push(response.status());
    });
    await page.goto(keyPage, { waitUntil: "domcontentloaded" });
    await page.getByLabel("Allowed IP addresses").fill("10.0.0.0/8");
    await page.getByRole("button", { name: "Save allowlist" }).click();
    await page.waitForLoadState("domcontentloaded");
    await expect.poll(() => urls.filter((url) => url.startsWith("POST ")).length).toBe(1);
    release();
    for (const url of urls) expect(url).not.toContain("ipAllowlist=");
    expect(answers.every((status) => status < 500)).toBe(true);
  });

  test("every form the signed-out and signed-in pages render posts: none can send its fields in a GET", async ({ page }) => {
    // A search form (role=search: the key list's filters) is a GET on purpose, so its state is
    // in the URL; it carries no password or secret field. Every other form posts.
    const methodsOn = () =>
      page.locator("form").evaluateAll((forms) =>
        forms.map((form) => {
          const search = form.getAttribute("role") === "search";
          const sensitive = form.querySelector('input[type="password"], input[name*="secret" i]') !== null;
          return search && !sensitive ? "post" : (form as HTMLFormElement).method;
        }),
      );
    const formsOn = async (path: string) => {
      await page.goto(path);
      const methods = await methodsOn();
      expect(methods.length, path).toBeGreaterThan(0);
      expect(methods, path).toEqual(methods.map(() => "post"));
    };
    for (const path of ["/sign-in", "/sign-up"]) await formsOn(path);
    await signUp(page);
    const { dialog } = await createKeyInUi(page, "forms check");
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    await formsOn("/dashboard");
    await formsOn("/dashboard/sessions");
    await page.getByRole("link", { name: "Keys" }).click();
    await page.getByRole("link", { name: "forms check" }).click();
    await expect(page.getByLabel("Allowed IP addresses")).toBeVisible();
    const methods = await methodsOn();
    expect(methods).toEqual(methods.map(() => "post"));
  });
});

test.describe("callbackUrl", () => {
  test("/sign-in?callbackUrl=/%09/evil.example/x lands on /dashboard after sign-in, never off-site", async ({ page }) => {
    const email = uniqueEmail("callback");
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.context().clearCookies();

    const offSite: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith("http://127.0.0.1")) offSite.push(request.url());
    });
    // As typed in the address bar: the first is the brief's own (the page reads "/<TAB>/evil.example/x"),
    // the second reaches the page as the literal "/%09/…".
    for (const query of ["/%09/evil.example/x", "/%2509/evil.example/x", "//evil.example/x", "/%5Cevil.example", "https://evil.example/x"]) {
      await page.context().clearCookies();
      await page.goto(`/sign-in?callbackUrl=${query}`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/dashboard$/);
    }
    expect(offSite).toEqual([]);
  });

  test("a callbackUrl with %0A answers the sign-in page, not a 500", async ({ request }) => {
    for (const value of ["/%0A", "/%0D%0Aevil", "%E0%A4%A", "/%"]) {
      const response = await request.get(`/sign-in?callbackUrl=${value}`);
      expect(response.status(), value).toBe(200);
    }
  });

  test("a same-origin callbackUrl is where sign-in goes", async ({ page }) => {
    const email = uniqueEmail("callback-ok");
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.context().clearCookies();
    await page.goto("/dashboard/sessions");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard%2Fsessions/);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard\/sessions$/);
  });
});
