import { OFF_SITE_NEXT } from "../lib/testing/off-site-next";
import { expect, test } from "./fixtures";
import { PASSWORD, registerWithForm, signUp, uniqueEmail, COOKIE, signInWithForm } from "./helpers";
import { codeIn, lastMailId, linkIn, waitForMail } from "./mail";
import { E2E } from "./settings";

test("a person creates an account and lands on a dashboard that shows their email; no script can read the tokens", async ({ page }) => {
  const email = uniqueEmail("new");
  await page.goto("/");
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/register/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await expect(page.getByLabel("Keep me signed in")).toBeChecked();
  const after = await lastMailId();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/register\/verify$/);
  await page.getByLabel("Code").fill(codeIn(await waitForMail(email, { subject: "sign-up code", after })));
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  await expect(page.getByRole("heading", { name: "This session" })).toBeVisible();
  expect(await page.evaluate(() => document.cookie)).not.toMatch(/kc_/);

  const cookies = await page.context().cookies();
  for (const name of [COOKIE.access, COOKIE.refresh]) {
    const cookie = cookies.find((c) => c.name === name);
    expect(cookie, name).toBeDefined();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
  }
});

test("signing in with the form goes to the page that asked for it", async ({ page, browser }) => {
  const setup = await browser.newContext();
  const { email } = await signUp(setup);
  await setup.close();

  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  await signInWithForm(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();

  // Signed in, the sign-in page sends the person on instead of asking again.
  await page.goto("/login");
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("an unknown email and a wrong password get the same message", async ({ page, browser }) => {
  const setup = await browser.newContext();
  const { email } = await signUp(setup);
  await setup.close();

  const attempt = async (who: string) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(who);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    const alert = page.getByRole("alert").filter({ hasText: /./ });
    await expect(alert).toBeVisible();
    return (await alert.textContent())?.trim();
  };
  const wrongPassword = await attempt(email);
  const unknownEmail = await attempt(uniqueEmail("nobody"));
  expect(wrongPassword).toBe("That email and password don’t match an account.");
  expect(unknownEmail).toBe(wrongPassword);
  await expect(page).toHaveURL(/\/login/);
});

test("form errors show next to their fields and the first one takes focus", async ({ page }) => {
  await page.goto("/register");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();
  await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Email")).toBeFocused();
});

test("signing up with an address that has an account looks the same as a new one; the owner is told, with a way in", async ({ page, browser }) => {
  const setup = await browser.newContext();
  const { email } = await signUp(setup);
  await setup.close();
  const after = await lastMailId();
  await page.goto("/register");
  await page.getByLabel("Email").fill(email.toUpperCase());
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/register\/verify$/);
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const told = await waitForMail(email, { subject: "Someone tried to create", after });
  expect(linkIn(told, "/login")).toBe(`${E2E.baseURL}/login`);
  expect(linkIn(told, "/forgot-password")).toBe(`${E2E.baseURL}/forgot-password`);
});

test("signing out ends the session: protected pages go to sign-in and Back shows nothing protected", async ({ page, person: { email } }) => {
  await page.goto("/");
  await page.goto("/dashboard");
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  // Link prefetches in flight may refresh (3-second tokens here) and their Set-Cookie can land
  // after the sign-out's: the server refuses those tokens (the session is ended), but the cookie
  // check below is about what sign-out clears, so start from a quiet page.
  await page.waitForLoadState("networkidle");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login\?signedout=1$/);
  await expect(page.getByText("You have signed out.")).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  await expect(page.getByText(email)).toHaveCount(0);

  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  const cookies = await page.context().cookies();
  expect(cookies.filter((c) => c.name === COOKIE.access || c.name === COOKIE.refresh)).toEqual([]);
  // What stays holds no token: the device cookie (so the account recognises this browser), and
  // the sign-in page's passkey attempt.
  const left = cookies.filter((c) => c.name.includes("kc_")).map((c) => c.name);
  expect(left).toContain("__Host-kc_device");
  expect(left.every((name) => /kc_(device|passkey)$/.test(name)), left.join(", ")).toBe(true);
});

test("no spelling of ?next= sends a person off-site: not the JSON sign-in, not the form's 303, not the signed-in redirect", async ({ page, request }) => {
  test.setTimeout(120_000);
  const { email } = await signUp(page.context());
  for (const next of OFF_SITE_NEXT) {
    const label = JSON.stringify(next);
    // Signed in already: the sign-in page sends the person straight on (redirect()).
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await expect(page, label).toHaveURL(/^http:\/\/localhost:\d+\/dashboard$/);

    // A plain form post answers 303 to where it will go.
    const form = await request.post("/api/auth/login", { form: { email, password: PASSWORD, next }, maxRedirects: 0 });
    expect(form.status(), label).toBe(303);
    expect(form.headers()["location"], label).toBe("/dashboard");
  }

  // The form with JavaScript (JSON, then router.replace), signed out first.
  await page.context().clearCookies();
  for (const next of OFF_SITE_NEXT) {
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await signInWithForm(page, email);
    await expect(page, JSON.stringify(next)).toHaveURL(/^http:\/\/localhost:\d+\/dashboard$/);
    await page.context().clearCookies();
  }
});

test("every page works under a strict, nonce-based Content-Security-Policy, with no violations", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const nonces = new Set<string>();
  /** Loads `path` and checks its policy and its scripts; the nonce must differ on every load. */
  const checkPage = async (path: string) => {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    for (const directive of ["frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'", "object-src 'none'"]) {
      expect(csp, path).toContain(directive);
    }
    expect(csp, path).not.toContain("unsafe-inline");
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(nonces.has(nonce), `${path}: a fresh nonce`).toBe(false);
    nonces.add(nonce);
    expect(await page.locator("script[nonce]").count(), path).toBeGreaterThan(0);
    expect(await page.locator("script:not([nonce])").count(), path).toBe(0);
  };
  for (const path of ["/", "/login", "/register"]) await checkPage(path);

  const cspEmail = uniqueEmail("csp");
  await registerWithForm(page, cspEmail);
  for (const path of ["/register/verify", "/forgot-password", "/reset-password", "/undo-email-change"]) await checkPage(path);
  for (const path of ["/", "/account", "/dashboard"]) await checkPage(path);
  await page.getByRole("link", { name: "Devices and security" }).click();
  await expect(page.getByRole("heading", { name: "Where you’re signed in" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("every page and API answer carries the security headers; protected ones are never stored", async ({ page, request, person }) => {
  const check = (path: string, headers: Record<string, string>, isProtected: boolean) => {
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    if (isProtected) expect(headers["cache-control"], path).toMatch(/no-store/);
  };
  for (const path of ["/", "/login", "/register"]) check(path, (await request.get(path)).headers(), false);
  for (const path of ["/dashboard", "/account"]) {
    const response = await page.goto(path);
    const headers = await response!.allHeaders();
    check(path, headers, true);
    expect(headers["content-security-policy"], path).toMatch(/base-uri 'none'.*form-action 'self'/);
  }
  const api = page.context().request;
  for (const path of ["/api/auth/session", "/api/auth/sessions", "/api/auth/activity"]) {
    const response = await api.get(path);
    expect(response.status(), path).toBe(200);
    check(path, response.headers(), true);
  }
  for (const [path, response] of [
    ["POST /api/auth/refresh", await api.post("/api/auth/refresh")],
    ["POST /api/auth/login (refused)", await request.post("/api/auth/login", { data: { email: "x@example.com", password: "wrong password" } })],
  ] as const) {
    check(path, response.headers(), true);
  }
});
