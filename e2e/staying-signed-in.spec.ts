import { expect, test } from "./fixtures";
import { E2E } from "./settings";
import { query } from "./database";
import { sessionIdOf, sessionState, signUp, tokenCookies, waitForAccessTokenExpiry, waitForGraceWindow, COOKIE } from "./helpers";
import { countStatuses, sendManyTogether } from "./simultaneous";

test("after the access token expires, the next page renders signed in on its first response, with both tokens replaced", async ({ page, person: { email } }) => {
  const before = await tokenCookies(page.context());
  await waitForAccessTokenExpiry(page);

  const response = await page.goto("/dashboard");
  expect(response?.status()).toBe(200);
  expect(response?.request().redirectedFrom()).toBeNull();
  expect(await response?.text()).toContain(email);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();

  const after = await tokenCookies(page.context());
  expect(after.access?.value).toBeTruthy();
  expect(after.access?.value).not.toBe(before.access?.value);
  expect(after.refresh?.value).not.toBe(before.refresh?.value);
  expect(await sessionState(email)).toMatchObject([{ revokedAt: null, liveTokens: 1 }]);
});

test("an API call with an expired access token is refreshed on the way and answered", async ({ page, person: { email } }) => {
  await waitForAccessTokenExpiry(page);
  const response = await page.request.get("/api/auth/session");
  expect(response.status()).toBe(200);
  expect((await response.json()).user.email).toBe(email);
});

test("kept signed in: a later visit from saved cookies, after the access token expired, is still signed in", async ({ browser }) => {
  const first = await browser.newContext();
  const { email } = await signUp(first, { remember: true });
  const saved = await first.storageState();
  await first.close();

  // What survives closing the browser: persistent cookies only.
  const persistent = { ...saved, cookies: saved.cookies.filter((c) => c.expires !== -1) };
  expect(persistent.cookies.map((c) => c.name)).toContain(COOKIE.refresh);

  const later = await browser.newContext({ storageState: persistent });
  const page = await later.newPage();
  await waitForAccessTokenExpiry(page);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  await later.close();
});

test("not kept signed in: both cookies end with the browser, so the next visit is signed out", async ({ browser }) => {
  const first = await browser.newContext();
  await signUp(first, { remember: false });
  const saved = await first.storageState();
  await first.close();

  const tokens = saved.cookies.filter((c) => c.name === COOKIE.access || c.name === COOKIE.refresh);
  expect(tokens).toHaveLength(2);
  expect(tokens.every((c) => c.expires === -1)).toBe(true);

  const later = await browser.newContext({ storageState: { ...saved, cookies: saved.cookies.filter((c) => c.expires !== -1) } });
  const page = await later.newPage();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  await later.close();
});

test("five tabs loading protected pages together after expiry all stay signed in, on one live token", async ({ context, person: { email } }) => {
  // What this shows: five tabs navigated at once, each refreshing (or taking the successor of the
  // one that did), all signed in, one live token. Whether their refreshes overlap on the server
  // depends on the machine; the tests below release requests together over raw sockets for that.
  const tabs = await Promise.all(Array.from({ length: 5 }, () => context.newPage()));
  await waitForAccessTokenExpiry(tabs[0]);

  const responses = await Promise.all(tabs.map((tab) => tab.goto("/dashboard")));
  for (const [i, response] of responses.entries()) {
    expect(response?.status(), `tab ${i + 1}`).toBe(200);
    await expect(tabs[i].getByText(`Signed in as ${email}`)).toBeVisible();
  }
  expect(await sessionState(email)).toMatchObject([{ revokedAt: null, liveTokens: 1 }]);

  // And the cookie they all ended with is that live token: the next refresh works.
  await waitForAccessTokenExpiry(tabs[0]);
  await tabs[0].goto("/dashboard");
  await expect(tabs[0].getByText(`Signed in as ${email}`)).toBeVisible();
});

test("forty refreshes of one token released at the same moment all succeed, on one successor", async ({ context, person }) => {
  const { refresh } = await tokenCookies(context);
  const responses = await sendManyTogether(
    E2E.baseURL,
    { method: "POST", path: "/api/auth/refresh", headers: { cookie: `${COOKIE.refresh}=${refresh!.value}` } },
    40,
  );
  expect(countStatuses(responses)).toEqual({ 200: 40 });
  const successors = new Set(responses.map((r) => /kc_refresh=([^;]+)/.exec(r.headers["set-cookie"])?.[1]));
  expect(successors.size).toBe(1);
  expect([...successors][0]).not.toBe(refresh!.value);
  const [session] = await query<{ live: number }>(
    `SELECT CAST(count(*) AS INTEGER) AS "live" FROM "RefreshToken" t WHERE t."consumedAt" IS NULL AND t."sessionId" = ?`,
    await sessionIdOf(context),
  );
  expect(session.live).toBe(1);
});

test("ten page loads with an expired access token and one refresh cookie, released together, all render signed in", async ({ context, person: { email } }) => {
  const { access, refresh } = await tokenCookies(context);
  const cookie = `${COOKIE.access}=${access!.value}; ${COOKIE.refresh}=${refresh!.value}`;
  await new Promise((resolve) => setTimeout(resolve, (Number(E2E.env.ACCESS_TOKEN_TTL_SECONDS) + 1) * 1000));
  const responses = await sendManyTogether(E2E.baseURL, { method: "GET", path: "/dashboard", headers: { cookie } }, 10);
  expect(countStatuses(responses)).toEqual({ 200: 10 });
  for (const response of responses) expect(response.body).toContain(email);
  expect(await sessionState(email)).toMatchObject([{ revokedAt: null, liveTokens: 1 }]);
});

test("a stolen refresh token replayed after it rotated ends the session, for the thief and the person alike", async ({ page, playwright , person: { email } }) => {
  const stolen = (await tokenCookies(page.context())).refresh!.value;

  await waitForAccessTokenExpiry(page);
  await page.goto("/dashboard"); // the person's browser rotates the token
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  expect((await tokenCookies(page.context())).refresh!.value).not.toBe(stolen);
  await waitForGraceWindow(page);

  const thief = await playwright.request.newContext({ baseURL: E2E.baseURL });
  const replay = await thief.post("/api/auth/refresh", { headers: { cookie: `${COOKIE.refresh}=${stolen}` } });
  expect(replay.status()).toBe(401);
  expect((await replay.json()).error.code).toBe("reused");
  await thief.dispose();

  expect(await sessionState(email)).toMatchObject([{ revokedReason: "refresh_token_reused" }]);
  await waitForAccessTokenExpiry(page);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
});

test("when the refresh cannot reach the store, the person sees 'try again', keeps their cookies, and is signed in afterwards", async ({ page, person: { email } }) => {
  await waitForAccessTokenExpiry(page);
  const before = await tokenCookies(page.context());

  const response = await page.goto(`${E2E.brokenURL}/dashboard`);
  expect(response?.status()).toBe(503);
  await expect(page.getByRole("heading", { name: "Try again in a moment" })).toBeVisible();
  expect((await tokenCookies(page.context())).refresh?.value).toBe(before.refresh?.value);

  await page.goto("/dashboard");
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
});
