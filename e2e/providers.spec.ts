// Signing in through other providers in Chromium: a real OpenID provider (oidc-provider, "Corp")
// and a GitHub stand-in, both started by the test servers (scripts/e2e-server.mjs). The provider's
// sign-in page takes any login: the login is the address it vouches for, unless it starts with
// "unverified:".
import type { APIRequestContext, Page } from "@playwright/test";
import { signInAtProvider } from "../lib/testing/provider-browser";
import { expect, test } from "./fixtures";
import { codeFor, finishSecondStep, turnOnApp } from "./factors";
import { COOKIE, createAccount, PASSWORD, signInWithForm, tokenCookies, uniqueEmail } from "./helpers";
import { codeIn, lastMailId, waitForMail } from "./mail";
import { countStatuses, sendManyTogether, sendTogether } from "./simultaneous";
import { E2E } from "./settings";

/** At the provider's sign-in page (Corp's or the GitHub stand-in's): sign in as `login`. */
async function signInThere(page: Page, login: string) {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("anything at all");
  await page.locator('button[type="submit"]').first().click();
}

/**
 * Starts a sign-in with Corp from `client` (its cookie binds the attempt), signs in there as
 * `login` and returns the callback address Corp sends the browser back to, unopened.
 */
async function callbackFor(client: APIRequestContext, login: string): Promise<URL> {
  const started = await client.post("/api/auth/oauth/corp/start", { data: { purpose: "sign_in", next: "/dashboard" } });
  expect(started.status()).toBe(200);
  return signInAtProvider(new URL((await started.json()).redirect), login);
}

test("sign up with Corp from /register: back signed in, the account proved, with no password until one is set", async ({ page }) => {
  const email = uniqueEmail("corp-new");
  await page.goto("/register");
  await page.getByRole("button", { name: "Continue with Corp" }).click();
  await signInThere(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/account");
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Set a password" })).toBeVisible();
  await expect(page.getByTestId("provider-row")).toContainText("Corp");
  await expect(page.getByTestId("provider-row")).toContainText("Your only way in");
  // The next time, the same identity signs in (a new browser: the provider asks again).
  const other = await page.context().browser()!.newContext({ baseURL: E2E.baseURL });
  const again = await other.newPage();
  await again.goto("/login");
  await again.getByRole("button", { name: "Continue with Corp" }).click();
  await signInThere(again, email);
  await expect(again).toHaveURL(/\/dashboard$/);
  await other.close();
});

test("an address Corp does not vouch for is proved by the mailed code first", async ({ page }) => {
  const email = uniqueEmail("corp-unverified");
  const after = await lastMailId();
  await page.goto("/login");
  await page.getByRole("button", { name: "Continue with Corp" }).click();
  await signInThere(page, `unverified:${email}`);
  await expect(page).toHaveURL(/\/register\/verify\?via=provider$/);
  await expect(page.getByText("did not confirm your address")).toBeVisible();
  await page.getByLabel("Code").fill(codeIn(await waitForMail(email, { subject: "sign-up code", after })));
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("an address that already has an account is never connected silently: the owner signs in with the password, then confirms", async ({ page, browser }) => {
  const email = uniqueEmail("corp-link");
  const owner = await browser.newContext({ baseURL: E2E.baseURL });
  expect((await createAccount(owner.request, email)).status()).toBe(201);
  await owner.close();
  await page.goto("/login");
  await page.getByRole("button", { name: "Continue with Corp" }).click();
  await signInThere(page, email);
  await expect(page).toHaveURL(/\/login\?next=%2Faccount%2Fconnect&link=1$/);
  await expect(page.getByText("An account with your address already exists")).toBeVisible();
  expect((await page.request.get("/api/auth/session")).status(), "not signed in by the provider alone").toBe(401);
  const after = await lastMailId();
  await signInWithForm(page, email);
  await expect(page).toHaveURL(/\/account\/connect$/);
  await expect(page.getByRole("heading", { name: "Connect Corp?" })).toBeVisible();
  await page.getByRole("button", { name: "Connect Corp" }).click();
  await expect(page).toHaveURL(/notice=provider_connected/);
  await expect(page.getByTestId("provider-row")).toContainText(email);
  await waitForMail(email, { subject: "Corp can now sign you in", after });
});

test("GitHub: sign up with the verified primary address; a cancel at GitHub comes back to sign in, saying so", async ({ page }) => {
  const email = uniqueEmail("gh-new");
  await page.goto("/register");
  await page.getByRole("button", { name: "Continue with GitHub" }).click();
  await signInThere(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  expect((await (await page.request.get("/api/auth/session")).json()).user.email).toBe(email);

  const other = await page.context().browser()!.newContext({ baseURL: E2E.baseURL });
  const cancelling = await other.newPage();
  await cancelling.goto("/login");
  await cancelling.getByRole("button", { name: "Continue with GitHub" }).click();
  await cancelling.getByRole("button", { name: "Cancel" }).click();
  await expect(cancelling).toHaveURL(/\/login\?error=provider_cancelled$/);
  await expect(cancelling.getByText("You cancelled at the provider")).toBeVisible();
  await other.close();
});

test("with two-step sign-in on, a provider's sign-in still asks for the app's code", async ({ page, browser }) => {
  const email = uniqueEmail("corp-2fa");
  await page.goto("/login");
  await page.getByRole("button", { name: "Continue with Corp" }).click();
  await signInThere(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  const { secret } = await turnOnApp(page.context().request);
  const other = await browser.newContext({ baseURL: E2E.baseURL });
  const phone = await other.newPage();
  await phone.goto("/login");
  await phone.getByRole("button", { name: "Continue with Corp" }).click();
  await signInThere(phone, email);
  await expect(phone).toHaveURL(/\/login\/verify/);
  expect((await phone.request.get("/api/auth/session")).status()).toBe(401);
  await finishSecondStep(phone, codeFor(secret));
  await other.close();
});

test("connect GitHub from /account, then disconnect it; the last way in cannot be disconnected", async ({ page, db }) => {
  const email = uniqueEmail("connect");
  expect((await createAccount(page.context().request, email)).status()).toBe(201);
  const connectGitHub = async () => {
    await page.goto("/account");
    await page.getByRole("button", { name: "Connect GitHub" }).click();
    await signInThere(page, `gh-${email}`);
    await expect(page).toHaveURL(/\/account\?notice=provider_connected/);
  };
  await connectGitHub();
  const row = page.getByTestId("provider-row").filter({ hasText: "GitHub" });
  await expect(row).toContainText(`gh-${email}`);
  await row.getByRole("button", { name: "Disconnect GitHub" }).click();
  await expect(page).toHaveURL(/notice=provider_disconnected/);
  await expect(page.getByRole("button", { name: "Connect GitHub" })).toBeVisible();
  // Connected again, and the password removed: GitHub is the last way in, and stays.
  await connectGitHub();
  await page.locator("summary", { hasText: "Remove my password" }).click();
  const current = page.locator(".remove-password").getByLabel("Current password");
  await current.fill("not my password");
  await page.getByRole("button", { name: "Remove my password" }).click();
  await expect(current).toHaveAttribute("aria-invalid", "true");
  await current.fill(PASSWORD);
  await page.getByRole("button", { name: "Remove my password" }).click();
  await expect(page).toHaveURL(/notice=password_removed/);
  await expect(row).toContainText("Your only way in");
  const [identity] = await db.query<{ id: string }>(`SELECT i."id" FROM "ProviderIdentity" i JOIN "User" u ON u."id" = i."userId" WHERE u."email" = ?`, email);
  const refused = await page.request.post(`/api/auth/identities/${identity.id}/remove`);
  expect(refused.status()).toBe(409);
  expect((await refused.json()).error.code).toBe("last_way_in");
});

test("forty removals of the last three ways in, released together: two go, one stays, each refusal says why", async ({ page, db }) => {
  const email = uniqueEmail("race-ways");
  expect((await createAccount(page.context().request, email)).status()).toBe(201);
  for (const [button, login] of [["Connect GitHub", `gh-${email}`], ["Connect Corp", `corp-${email}`]]) {
    await page.goto("/account");
    await page.getByRole("button", { name: button }).click();
    await signInThere(page, login);
    await expect(page).toHaveURL(/\/account\?notice=provider_connected/);
  }
  const identities = await db.query<{ id: string }>(`SELECT i."id" FROM "ProviderIdentity" i JOIN "User" u ON u."id" = i."userId" WHERE u."email" = ?`, email);
  expect(identities).toHaveLength(2);
  const { access } = await tokenCookies(page.context());
  const headers = { cookie: `${COOKIE.access}=${access!.value}` };
  const responses = await sendTogether(E2E.baseURL, [
    // Four: each checks the password, five checks per account per quarter-hour.
    ...Array.from({ length: 4 }, () => ({ method: "POST" as const, path: "/api/auth/password/remove", headers, body: { currentPassword: PASSWORD } })),
    ...identities.flatMap(({ id }) => Array.from({ length: 18 }, () => ({ method: "POST" as const, path: `/api/auth/identities/${id}/remove`, headers }))),
  ]);
  expect(responses).toHaveLength(40);
  const codes = responses.filter((r) => r.status !== 204).map((r) => JSON.parse(r.body).error.code as string);
  expect(countStatuses(responses)[204], "two of the three ways removed").toBe(2);
  expect(new Set(codes)).toContain("last_way_in");
  expect([...new Set(codes)].every((c) => ["last_way_in", "no_password", "identity_not_found"].includes(c)), codes.join(", ")).toBe(true);
  const [left] = await db.query<{ identities: number; password: number }>(
    `SELECT (SELECT CAST(count(*) AS INTEGER) FROM "ProviderIdentity" i WHERE i."userId" = u."id") AS "identities", CASE WHEN u."passwordHash" IS NULL THEN 0 ELSE 1 END AS "password" FROM "User" u WHERE u."email" = ?`,
    email,
  );
  expect(left.identities + left.password, "one way in left").toBe(1);
});

test("a callback this browser did not start is refused with a plain page, and nothing is created; in the client that started it, it still works", async ({ page, playwright }) => {
  const email = uniqueEmail("csrf");
  // The attacker starts a sign-in with their own provider account and stops at the callback's
  // address (a browser cannot be stopped there: it follows the provider's redirect), then hands
  // it to the person.
  const attacker = await playwright.request.newContext({ baseURL: E2E.baseURL });
  const forged = await callbackFor(attacker, email);
  const response = await page.goto(forged.toString());
  expect(response!.status()).toBe(400);
  await expect(page.getByRole("heading", { name: "That sign-in didn’t work" })).toBeVisible();
  expect((await page.request.get("/api/auth/session")).status()).toBe(401);
  const exists = await page.request.post("/api/auth/login", { data: { email, password: PASSWORD } });
  expect(exists.status()).toBe(401);
  // Refused for the browser, not for being used: the attacker's own client can still finish it.
  const own = await attacker.get(forged.pathname + forged.search, { maxRedirects: 0 });
  expect(own.status()).toBe(303);
  expect(own.headers().location).toMatch(/\/dashboard$/);
  await attacker.dispose();
});

test("one callback sent forty times at once, from the client that started it: one sign-up, one session, thirty-nine refusals", async ({ playwright, db }) => {
  const email = uniqueEmail("callback-race");
  const client = await playwright.request.newContext({ baseURL: E2E.baseURL });
  const callback = await callbackFor(client, email);
  const attempt = (await client.storageState()).cookies.find((c) => c.name.endsWith("kc_provider"))!;
  const responses = await sendManyTogether(E2E.baseURL, { method: "GET", path: callback.pathname + callback.search, headers: { cookie: `${attempt.name}=${attempt.value}` } }, 40);
  expect(countStatuses(responses)).toEqual({ 303: 1, 400: 39 });
  expect(responses.find((r) => r.status === 303)!.headers.location).toMatch(/\/dashboard$/);
  const [made] = await db.query<{ users: number; sessions: number }>(
    `SELECT (SELECT CAST(count(*) AS INTEGER) FROM "User" WHERE "email" = ?) AS "users", (SELECT CAST(count(*) AS INTEGER) FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE u."email" = ?) AS "sessions"`,
    email,
    email,
  );
  expect(made).toEqual({ users: 1, sessions: 1 });
  await client.dispose();
});

test("signing out clears a provider sign-in waiting in this browser (the next person at it must not find it)", async ({ playwright }) => {
  const client = await playwright.request.newContext({ baseURL: E2E.baseURL });
  expect((await createAccount(client, uniqueEmail("signout-provider"))).status()).toBe(201);
  await callbackFor(client, uniqueEmail("someone-at-corp"));
  const held = async () => (await client.storageState()).cookies.some((c) => c.name.endsWith("kc_provider"));
  expect(await held()).toBe(true);
  expect((await client.post("/api/auth/logout")).status()).toBe(204);
  expect(await held()).toBe(false);
  await client.dispose();
});

test("a provider that cannot be reached: 'We couldn’t reach Corp', 503, nobody signed out", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: E2E.brokenURL });
  const page = await context.newPage();
  await page.goto("/login");
  const [response] = await Promise.all([page.waitForResponse("**/api/auth/oauth/corp/start"), page.getByRole("button", { name: "Continue with Corp" }).click()]);
  expect(response.status()).toBe(503);
  await expect(page.getByRole("heading", { name: "We couldn’t reach Corp" })).toBeVisible();
  await context.close();
});

test.describe("on the instance where a sign-in stays fresh for 6 seconds", () => {
  test.use({ baseURL: E2E.steadyURL });

  test("an account without a password confirms it's itself through Corp (asked to sign in there again), then deletes itself", async ({ page }) => {
    const email = uniqueEmail("corp-confirm");
    await page.goto("/login");
    await page.getByRole("button", { name: "Continue with Corp" }).click();
    await signInThere(page, email);
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.waitForTimeout(7000);
    await page.goto("/account");
    await page.locator("summary", { hasText: "Delete my account" }).click();
    await page.getByLabel("Type your email address to confirm").fill(email);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page.getByText("Confirm it’s you.")).toBeVisible();
    await expect(page.getByLabel("Password", { exact: true })).toHaveCount(0);
    await page.getByRole("button", { name: "Continue with Corp" }).click();
    // prompt=login: the provider asks again even though it has a session.
    await signInThere(page, email);
    await expect(page).toHaveURL(/\/account\?notice=reauthenticated/);
    await page.locator("summary", { hasText: "Delete my account" }).click();
    await page.getByLabel("Type your email address to confirm").fill(email);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page).toHaveURL(/\/login\?deleted=1$/);
  });

  test("with two-step sign-in on, confirming through Corp asks for the app's code after it, as at sign-in", async ({ page }) => {
    const email = uniqueEmail("corp-confirm-2fa");
    await page.goto("/login");
    await page.getByRole("button", { name: "Continue with Corp" }).click();
    await signInThere(page, email);
    await expect(page).toHaveURL(/\/dashboard$/);
    const { secret } = await turnOnApp(page.context().request);
    await page.waitForTimeout(7000);
    await page.goto("/account");
    await page.locator("summary", { hasText: "Delete my account" }).click();
    await page.getByLabel("Type your email address to confirm").fill(email);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page.getByText("The code from your authenticator app is asked too (after the provider).")).toBeVisible();
    await page.getByRole("button", { name: "Continue with Corp" }).click();
    await signInThere(page, email);
    await expect(page).toHaveURL(/\/account\/confirm-code$/);
    await expect(page.getByRole("heading", { name: "One more step" })).toBeVisible();
    // Corp alone is not enough: the session is not fresh until the code.
    expect((await page.request.get("/api/auth/account/export")).status()).toBe(403);
    await page.getByLabel("Code").fill("000000");
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByLabel("Code")).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("Code").fill(codeFor(secret));
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page).toHaveURL(/\/account\?notice=reauthenticated/);
    await page.locator("summary", { hasText: "Delete my account" }).click();
    await page.getByLabel("Type your email address to confirm").fill(email);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page).toHaveURL(/\/login\?deleted=1$/);
  });
});

test("without JavaScript, confirming through Corp on an account with an app: Corp, then the code", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: E2E.baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  const email = uniqueEmail("corp-confirm-nojs");
  await page.goto("/login");
  await page.getByRole("button", { name: "Continue with Corp" }).click();
  await signInThere(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  const { secret } = await turnOnApp(context.request);
  await page.goto("/account?form=confirm");
  await page.getByRole("button", { name: "Confirm with Corp" }).click();
  await signInThere(page, email);
  await expect(page).toHaveURL(/\/account\/confirm-code$/);
  await page.getByLabel("Code").fill("000000");
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page).toHaveURL(/\/account\/confirm-code\?/);
  await expect(page.getByLabel("Code")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Code").fill(codeFor(secret));
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page).toHaveURL(/\/account\?notice=reauthenticated/);
  await context.close();
});
