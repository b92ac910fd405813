// Sessions a person can see and end. Each browser context is a device. These run against the
// server with five-minute access tokens, so "refused at once" cannot be the token expiring.
import type { BrowserContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { E2E } from "./settings";
import { changePasswordWithForm, PASSWORD, sessionIdOf, signIn, signUp, tokenCookies, waitForGraceWindow, COOKIE, signInWithForm } from "./helpers";

test.use({ baseURL: E2E.steadyURL });

async function device(browser: import("@playwright/test").Browser, userAgent?: string) {
  return browser.newContext({ baseURL: E2E.steadyURL, ...(userAgent ? { userAgent } : {}) });
}

/**
 * Starts listening, as `page`, for the next sign-in or sign-out another tab announces
 * (app/components/auth-channel.ts); the returned promise settles when it arrives, even if the page
 * navigates because of it.
 */
async function listenOnChannel(page: Page): Promise<{ message: Promise<string> }> {
  let heard!: (change: string) => void;
  const message = new Promise<string>((resolve) => (heard = resolve));
  await page.exposeFunction("keycardTestHeard", (change: string) => heard(change));
  await page.evaluate(() => {
    const channel = new BroadcastChannel("keycard-auth");
    channel.onmessage = (event) => (window as unknown as { keycardTestHeard: (c: string) => void }).keycardTestHeard(event.data.change);
  });
  // Wrapped: an async function returning the promise itself would wait for the message.
  return { message };
}

const FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0";

test("device A lists both sessions and ends B's: B is refused at once, API and pages alike", async ({ browser }) => {
  const a = await device(browser);
  const b = await device(browser, FIREFOX_ON_WINDOWS);
  const { email } = await signUp(a);
  await signIn(b, email);

  const page = await a.newPage();
  await page.goto("/account");
  const rows = page.getByTestId("session-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "This device" })).toHaveCount(1);
  const bRow = rows.filter({ hasText: "Firefox on Windows" });
  await expect(bRow).toContainText(/127\.0\.0\.1|::1/);

  const bPage = await b.newPage();
  await bPage.goto("/dashboard");
  await expect(bPage.getByText(`Signed in as ${email}`)).toBeVisible();

  await bRow.getByRole("button", { name: /^Sign out Firefox on Windows/ }).click();
  await expect(page.getByText("That session has been signed out.")).toBeVisible();
  await expect(rows).toHaveCount(1);

  // B's access token has minutes left, and is refused now.
  const { access } = await tokenCookies(b);
  expect(access!.expires * 1000).toBeGreaterThan(Date.now() + 60_000);
  const api = await b.request.get("/api/auth/session");
  expect(api.status()).toBe(401);
  await bPage.goto("/dashboard");
  await expect(bPage).toHaveURL(/\/login\?next=%2Fdashboard$/);

  await a.close();
  await b.close();
});

test("'Sign out of all other sessions' leaves A signed in and B and C signed out", async ({ browser }) => {
  const [a, b, c] = await Promise.all([device(browser), device(browser), device(browser)]);
  const { email } = await signUp(a);
  await signIn(b, email);
  await signIn(c, email);

  const page = await a.newPage();
  await page.goto("/account");
  await expect(page.getByTestId("session-row")).toHaveCount(3);
  await page.getByRole("button", { name: "Sign out of all other sessions" }).click();
  await expect(page.getByText("You have been signed out everywhere else.")).toBeVisible();
  await expect(page.getByTestId("session-row")).toHaveCount(1);

  expect((await a.request.get("/api/auth/session")).status()).toBe(200);
  expect((await b.request.get("/api/auth/session")).status()).toBe(401);
  expect((await c.request.get("/api/auth/session")).status()).toBe(401);
  await Promise.all([a.close(), b.close(), c.close()]);
});

test("changing the password on A signs B out; the old password stops working; A stays signed in", async ({ context: a, person: { email }, secondDevice: b }) => {
  const page = await a.newPage();
  await page.goto("/account");
  await changePasswordWithForm(page, "not my password", "a brand new password");
  await expect(page.getByText("That isn’t your current password.")).toBeVisible();

  await changePasswordWithForm(page, PASSWORD, "a brand new password");
  await expect(page.getByText("Your password has been changed")).toBeVisible();

  expect((await b.request.get("/api/auth/session")).status()).toBe(401);
  await page.goto("/dashboard");
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();

  const old = await b.request.post("/api/auth/login", { data: { email, password: PASSWORD } });
  expect(old.status()).toBe(401);
  const fresh = await b.request.post("/api/auth/login", { data: { email, password: "a brand new password" } });
  expect(fresh.status()).toBe(200);
});

test("a reused refresh token shows in A's security activity with the session it ended", async ({ browser, playwright }) => {
  const a = await device(browser);
  const b = await device(browser, FIREFOX_ON_WINDOWS);
  const { email } = await signUp(a);
  await signIn(b, email);
  const stolen = (await tokenCookies(b)).refresh!.value;

  const rotated = await b.request.post("/api/auth/refresh");
  expect(rotated.status()).toBe(200);
  await waitForGraceWindow(await a.newPage());

  const thief = await playwright.request.newContext({ baseURL: E2E.steadyURL, userAgent: "curl/8.5.0" });
  const replay = await thief.post("/api/auth/refresh", { headers: { cookie: `${COOKIE.refresh}=${stolen}` } });
  expect((await replay.json()).error.code).toBe("reused");
  await thief.dispose();

  const page = a.pages()[0];
  await page.goto("/account");
  const item = page.getByTestId("activity-item").filter({ hasText: "A refresh token was reused, so that session was ended" });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("Session on Firefox on Windows");
  await expect(item).toContainText("curl");
  await expect(page.getByTestId("session-row")).toHaveCount(1);
  await a.close();
  await b.close();
});

test("two tabs: signing out in one sends the other to the sign-in page by itself", async ({ context, person: { email } }) => {
  const [first, second] = [await context.newPage(), await context.newPage()];
  await first.goto("/dashboard");
  await second.goto("/account");
  await expect(second.getByText(`Signed in as ${email}`)).toBeVisible();

  const told = await listenOnChannel(second);
  await first.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(first).toHaveURL(/\/login\?signedout=1$/);
  // The other tab is told (BroadcastChannel), not left to find out later: wait on that message
  // itself, then on where it leads, rather than on a stopwatch.
  expect(await told.message).toBe("signed-out");
  await expect(second).toHaveURL(/\/login\?next=%2Faccount$/);
  await expect(second.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test("two tabs: signing in in one brings the other, waiting on the sign-in page, in too", async ({ context }) => {
  const setup = await device((context as BrowserContext).browser()!);
  const { email } = await signUp(setup);
  await setup.close();
  const [first, second] = [await context.newPage(), await context.newPage()];
  await first.goto("/login");
  await second.goto("/login");
  const told = await listenOnChannel(second);
  await signInWithForm(first, email);
  await expect(first).toHaveURL(/\/dashboard$/);
  expect(await told.message).toBe("signed-in");
  await expect(second).toHaveURL(/\/dashboard$/);
});

test("nobody can see or end another person's sessions", async ({ browser }) => {
  const mine = await device(browser);
  const theirs = await device(browser);
  await signUp(mine);
  await signUp(theirs);
  const theirSession = await sessionIdOf(theirs);

  const listed = await (await mine.request.get("/api/auth/sessions")).json();
  expect(listed.sessions).toHaveLength(1);
  expect(listed.sessions[0]).toMatchObject({ current: true });
  expect(listed.sessions.map((s: { id: string }) => s.id)).not.toContain(theirSession);

  const end = await mine.request.delete(`/api/auth/sessions/${theirSession}`);
  expect(end.status()).toBe(404);
  const unknown = await mine.request.delete(`/api/auth/sessions/00000000-0000-0000-0000-000000000000`);
  expect(unknown.status()).toBe(404);
  expect(await end.json()).toEqual(await unknown.json());
  expect((await theirs.request.get("/api/auth/session")).status()).toBe(200);
  await mine.close();
  await theirs.close();
});

test("the account API: sessions, activity, password and revoke-others answer as documented", async ({ browser }) => {
  const a = await device(browser);
  const { email } = await signUp(a);
  const sessions = await (await a.request.get("/api/auth/sessions")).json();
  expect(sessions.sessions[0]).toEqual(
    expect.objectContaining({ device: expect.any(String), ip: expect.any(String), createdAt: expect.any(String), lastActiveAt: expect.any(String), current: true }),
  );
  const activity = await (await a.request.get("/api/auth/activity")).json();
  expect(activity.events[0]).toMatchObject({ type: "signed_in", title: "Signed in" });

  expect((await a.request.post("/api/auth/sessions/revoke-others")).status()).toBe(204);
  const weak = await a.request.post("/api/auth/password", { data: { currentPassword: PASSWORD, newPassword: "short" } });
  expect(weak.status()).toBe(400);
  expect((await weak.json()).error.fields.newPassword).toBe("Use at least 8 characters.");
  const ok = await a.request.post("/api/auth/password", { data: { currentPassword: PASSWORD, newPassword: "long enough now" } });
  expect(ok.status()).toBe(204);

  const anonymous = await device(browser);
  for (const [method, path] of [["GET", "/api/auth/sessions"], ["GET", "/api/auth/activity"], ["POST", "/api/auth/password"], ["POST", "/api/auth/sessions/revoke-others"]]) {
    const response = await anonymous.request.fetch(path, { method });
    expect(response.status(), `${method} ${path}`).toBe(401);
  }
  expect(email).toContain("@");
  await a.close();
  await anonymous.close();
});
