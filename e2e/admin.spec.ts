// The operator console in Chromium and over plain HTTP: who gets in (the role from the command
// line, a second factor, a fresh proof for changes), what each action does to the person — seen
// from the person's own browser — and that everything is audited, mailed and raced for real.
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { databaseUrl } from "./database";
import { accountWithPasskey, codeFor, finishSecondStep, turnOnApp } from "./factors";
import { COOKIE, createAccount, PASSWORD, signInWithForm, tokenCookies, uniqueEmail } from "./helpers";
import { lastMailId, linkIn, mailsTo, waitForMail } from "./mail";
import { countStatuses, sendTogether } from "./simultaneous";
import { E2E } from "./settings";

const root = path.join(__dirname, "..");

/** `npm run admin -- <args>` on the test servers' database, as an operator of the service would run it. */
function admin(...args: string[]): string {
  const run = spawnSync("npm", ["run", "--silent", "admin", "--", ...args], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl() }, encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

/** An operator over the API: an account with the app, the role, and a session signed in with the password and the app's code. */
async function apiOperator(playwright: { request: { newContext: (o: { baseURL: string }) => Promise<APIRequestContext> } }, baseURL = E2E.baseURL) {
  const email = uniqueEmail("operator");
  const api = await playwright.request.newContext({ baseURL });
  expect((await createAccount(api, email)).status()).toBe(201);
  const { secret } = await turnOnApp(api);
  admin("grant", email);
  expect((await api.post("/api/auth/logout")).status()).toBe(204);
  expect((await api.post("/api/auth/login", { data: { email, password: PASSWORD } })).status()).toBe(202);
  expect((await api.post("/api/auth/login/verify", { data: { code: codeFor(secret) } })).status()).toBe(200);
  return { api, email, secret };
}

/** Somebody with an account and an authenticator app, signed in within their own browser. */
async function personWithApp(page: Page) {
  const email = uniqueEmail("person");
  expect((await createAccount(page.context().request, email)).status()).toBe(201);
  const { secret, recoveryCodes } = await turnOnApp(page.context().request);
  return { email, secret, recoveryCodes, id: await idOf(page.context().request) };
}

const idOf = async (api: APIRequestContext) => ((await (await api.get("/api/auth/session")).json()) as { user: { id: string } }).user.id;

/** Signs in at the form with the password and `code` (the app's, or a recovery code). */
async function signInWithCode(page: Page, email: string, code: string) {
  await page.goto("/login");
  await signInWithForm(page, email);
  await finishSecondStep(page, code);
}

test("an operator with a passkey finds a person, signs them out, locks and unlocks them, requires a new password and removes their second factor — and the person sees, hears and feels each", async ({ page, browser }) => {
  const theirs = await browser.newContext({ baseURL: E2E.baseURL });
  const person = await theirs.newPage();
  const { email, secret, recoveryCodes, id } = await personWithApp(person);
  await person.goto("/account");

  const { email: operatorEmail } = await accountWithPasskey(page, "console");
  expect(admin("grant", operatorEmail)).toContain("is an operator");
  // Signed in with the password alone: the console asks for the passkey first.
  await page.goto("/admin");
  await expect(page.getByText("This session was signed in without a second factor.")).toBeVisible();
  await expect(page.getByLabel("Password", { exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page.getByRole("heading", { name: "Operator console" })).toBeVisible();

  await page.getByLabel("Find a person by the start of their address").fill(email.slice(0, 12).toUpperCase());
  await page.getByRole("button", { name: "Find" }).click();
  await page.getByRole("link", { name: email }).click();
  await expect(page.getByRole("heading", { name: email })).toBeVisible();

  // Signed out everywhere: their open tab is signed out at its next request.
  const after = await lastMailId();
  await page.getByRole("button", { name: "Sign out of every session" }).click();
  await expect(page.getByText("Their sessions were signed out.")).toBeVisible();
  await person.reload();
  await expect(person).toHaveURL(/\/login/);
  await waitForMail(email, { subject: "An administrator changed your Keycard account", after });

  // Locked: their sign-in is refused with whom to contact; their refresh too.
  await signInWithCode(person, email, codeFor(secret));
  const { refresh } = await tokenCookies(theirs);
  await page.getByLabel("Why lock it").fill("Reported stolen phone, ticket 4711");
  await page.getByRole("button", { name: "Lock the account" }).click();
  await expect(page.getByText("The account is locked")).toBeVisible();
  const refreshed = await theirs.request.fetch("/api/auth/refresh", { method: "POST", headers: { cookie: `${COOKIE.refresh}=${refresh!.value}` } });
  expect(refreshed.status()).toBe(401);
  await person.goto("/login");
  await signInWithForm(person, email);
  await expect(person.getByText("help@keycard.test")).toBeVisible();
  expect((await theirs.request.get("/api/auth/session")).status()).toBe(401);

  await page.getByRole("button", { name: "Unlock the account" }).click();
  await expect(page.getByText("The account is unlocked.")).toBeVisible();
  // The app's code of this step was just used: a recovery code.
  await signInWithCode(person, email, recoveryCodes[0]);

  // A new password required: the old one no longer works, and the link arrives.
  const beforeReset = await lastMailId();
  await page.getByRole("button", { name: "Require a new password" }).click();
  await expect(page.getByText("a link to choose a new one was mailed")).toBeVisible();
  const resetMail = await waitForMail(email, { subject: "An administrator changed your Keycard account", after: beforeReset });
  expect(linkIn(resetMail, "/reset-password")).toContain("token=");
  expect((await theirs.request.post("/api/auth/login", { data: { email, password: PASSWORD } })).status()).toBe(401);

  // The second factor removed, with how they proved who they are.
  await page.getByLabel("How did they prove who they are?").fill("Video call, ID shown, ticket 4712");
  await page.getByRole("button", { name: "Remove second factor and passkeys" }).click();
  await expect(page.getByText("Their second factor and passkeys were removed.")).toBeVisible();
  await expect(page.getByText("Authenticator app: off")).toBeVisible();

  // Their own account page says what an administrator did.
  await person.goto("/account");
  for (const line of ["An administrator signed you out", "Account locked to protect it", "An administrator unlocked your account", "An administrator asked you to choose a new password", "An administrator removed your second factor"]) {
    await expect(person.getByText(line).first()).toBeVisible();
  }
  expect((await mailsTo(email)).filter((m) => m.subject === "An administrator changed your Keycard account").length).toBe(5);

  // The audit log holds each, with who, whom and why.
  await page.goto(`/admin/audit?user=${encodeURIComponent(email)}`);
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(5);
  await expect(rows.filter({ hasText: "Reported stolen phone, ticket 4711" })).toContainText(/^.*Locked/);
  await expect(rows.filter({ hasText: "Video call, ID shown, ticket 4712" })).toContainText("Second factor removed");
  await expect(rows.first()).toContainText(operatorEmail);
  await theirs.close();
});

test("to anyone without the role, every console page and route is 'nothing here', exactly as an address that does not exist", async ({ page, playwright }) => {
  expect((await createAccount(page.context().request, uniqueEmail("not-operator"))).status()).toBe(201);
  // What a person sees, once the page has settled (the not-found page sets its title as it hydrates).
  const seen = async (path: string) => {
    const response = await page.goto(path, { waitUntil: "networkidle" });
    return { status: response!.status(), title: await page.title(), text: await page.locator("main").innerText() };
  };
  const unknownPage = await seen("/no-such-page");
  expect(unknownPage.status).toBe(404);
  for (const path of ["/admin", "/admin/audit", "/admin/users/00000000-0000-4000-8000-000000000000"]) {
    expect(await seen(path), path).toEqual(unknownPage);
  }
  const unknown = await page.request.get("/api/no-such-route");
  expect(unknown.status()).toBe(404);
  const body = await unknown.text();
  const id = "00000000-0000-4000-8000-000000000000";
  for (const [method, path] of [
    ["GET", "/api/admin/users?q=a"],
    ["GET", `/api/admin/users/${id}`],
    ["POST", `/api/admin/users/${id}/lock`],
    ["GET", `/api/admin/users/${id}/lock`],
    ["POST", `/api/admin/users/${id}/unlock`],
    ["POST", `/api/admin/users/${id}/sessions/revoke`],
    ["POST", `/api/admin/users/${id}/require-password-reset`],
    ["POST", `/api/admin/users/${id}/second-factor/remove`],
    ["POST", `/api/admin/users/${id}/mail/${id}/resend`],
    ["POST", `/api/admin/users/${id}/delete`],
    ["GET", "/api/admin/audit"],
    ["GET", "/api/admin/audit/export"],
  ] as const) {
    const answer = await page.request.fetch(path, { method, ...(method === "POST" ? { data: { reason: "trying" } } : {}) });
    expect(answer.status(), `${method} ${path}`).toBe(404);
    expect(await answer.text(), `${method} ${path}`).toBe(body);
  }
  // Signed out, the same as any other protected route; with the token of a session that has ended
  // (still valid for a moment), the same too.
  const stranger = await playwright.request.newContext({ baseURL: E2E.baseURL });
  expect((await stranger.get("/api/admin/users?q=a")).status()).toBe((await stranger.get("/api/no-such-route")).status());
  await stranger.dispose();
  const { access } = await tokenCookies(page.context());
  expect((await page.request.post("/api/auth/logout")).status()).toBe(204);
  const ended = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { cookie: `${COOKIE.access}=${access!.value}` } });
  const [admin, nothing] = [await ended.get("/api/admin/users?q=a"), await ended.get("/api/no-such-route")];
  expect(admin.status()).toBe(nothing.status());
  expect(await admin.text()).toBe(await nothing.text());
  await ended.dispose();
});

test("the role without a second factor on the account opens nothing but what to set up; a revoked role is refused at its next request", async ({ page, playwright }) => {
  const email = uniqueEmail("weak-operator");
  expect((await createAccount(page.context().request, email)).status()).toBe(201);
  expect(admin("grant", email)).toContain("It opens once the account has two-step sign-in or a passkey");
  await page.goto("/admin");
  await expect(page.getByText("The console needs two-step sign-in or a passkey on your account")).toBeVisible();
  await expect(page.getByLabel("Find a person by the start of their address")).toHaveCount(0);
  const refused = await page.request.get("/api/admin/users?q=a");
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("operator_needs_second_factor");

  const { api, email: operator } = await apiOperator(playwright);
  expect((await api.get("/api/admin/audit")).status()).toBe(200);
  expect(admin("revoke", operator)).toContain("no longer an operator");
  expect((await api.get("/api/admin/audit")).status()).toBe(404);
  expect(admin("list")).not.toContain(operator);
  await api.dispose();
});

test("locked is refused on every way in: password, passkey, provider, refresh, and a still-valid access token", async ({ browser, playwright }) => {
  const { api: operator } = await apiOperator(playwright);
  // A person who signs in three ways: Corp, then a password and a passkey added.
  const theirs = await browser.newContext({ baseURL: E2E.baseURL });
  const person = await theirs.newPage();
  const email = uniqueEmail("three-ways");
  await person.goto("/login");
  await person.getByRole("button", { name: "Continue with Corp" }).click();
  await person.locator('input[name="login"]').fill(email);
  await person.locator('input[name="password"]').fill("anything");
  await person.locator('button[type="submit"]').first().click();
  await expect(person).toHaveURL(/\/dashboard$/);
  expect((await theirs.request.post("/api/auth/password", { data: { newPassword: PASSWORD } })).status()).toBe(204);
  const { virtualAuthenticator, addPasskey } = await import("./factors");
  await virtualAuthenticator(person);
  await addPasskey(person);
  const id = await idOf(theirs.request);
  const { access, refresh } = await tokenCookies(theirs);

  expect((await operator.post(`/api/admin/users/${id}/lock`, { data: { reason: "testing every way in" } })).status()).toBe(204);
  const withAccess = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { cookie: `${COOKIE.access}=${access!.value}` } });
  expect((await withAccess.get("/api/auth/session")).status(), "a still-valid access token").toBe(401);
  const refreshed = await withAccess.fetch("/api/auth/refresh", { method: "POST", headers: { cookie: `${COOKIE.refresh}=${refresh!.value}` } });
  expect(refreshed.status(), "refresh").toBe(401);
  const password = await withAccess.post("/api/auth/login", { data: { email, password: PASSWORD } });
  expect((await password.json()).error.code, "password").toBe("account_locked");
  await theirs.clearCookies();
  await person.goto("/login");
  await person.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(person.getByRole("alert").filter({ hasText: "locked" }), "passkey").toBeVisible();
  await person.goto("/login");
  await person.getByRole("button", { name: "Continue with Corp" }).click();
  await person.locator('input[name="login"]').fill(email);
  await person.locator('input[name="password"]').fill("anything");
  await person.locator('button[type="submit"]').first().click();
  await expect(person, "provider").toHaveURL(/\/login\?error=account_locked/);
  expect((await theirs.request.get("/api/auth/session")).status()).toBe(401);
  await Promise.all([withAccess.dispose(), operator.dispose(), theirs.close()]);
});

test("what an operator is answered about a person holds no secret: no hash, token, key or code", async ({ page, playwright }) => {
  const { api: operator } = await apiOperator(playwright);
  const { id, secret } = await personWithApp(page);
  const { access, refresh } = await tokenCookies(page.context());
  const recovery = (await (await page.request.post("/api/auth/two-factor/recovery-codes")).json()) as { recoveryCodes?: string[] };
  // The console finds people; it does not list everyone.
  expect((await operator.get("/api/admin/users")).status()).toBe(400);
  const answer = await operator.get(`/api/admin/users/${id}`);
  expect(answer.status()).toBe(200);
  const text = await answer.text();
  for (const held of [access!.value, refresh!.value, secret, ...(recovery.recoveryCodes ?? [])]) expect(text).not.toContain(held);
  expect(text).not.toMatch(/\$2[aby]\$/);
  const person = JSON.parse(text);
  expect(person.user.id).toBe(id);
  expect(person.secondFactor.app).not.toBeNull();
  await operator.dispose();
});

test("two operators locking one account with forty requests at once: every request recorded, one lock, one mail, counted in /metrics", async ({ page, playwright, db }) => {
  const [a, b] = [await apiOperator(playwright), await apiOperator(playwright)];
  const { email, id } = await personWithApp(page);
  // A fresh access token each (they live 3 seconds here), taken just before the race.
  const cookieOf = async (api: APIRequestContext) => {
    expect((await api.get("/api/auth/session")).status()).toBe(200);
    const cookie = (await api.storageState()).cookies.find((c) => c.name === COOKIE.access)!;
    return `${cookie.name}=${cookie.value}`;
  };
  const [cookieA, cookieB] = [await cookieOf(a.api), await cookieOf(b.api)];
  const after = await lastMailId();
  const responses = await sendTogether(
    E2E.baseURL,
    Array.from({ length: 40 }, (_, i) => ({ method: "POST" as const, path: `/api/admin/users/${id}/lock`, headers: { cookie: i % 2 ? cookieA : cookieB }, body: { reason: `race ${i}` } })),
  );
  expect(countStatuses(responses)).toEqual({ 204: 40 });
  const entries = await db.query<{ operatorId: string; detail: string | null }>(`SELECT "operatorId", "detail" FROM "AuditEntry" WHERE "userId" = ? AND "action" = 'account_locked'`, id);
  expect(entries).toHaveLength(40);
  expect(entries.filter((e) => e.detail !== "already locked")).toHaveLength(1);
  expect(new Set(entries.map((e) => e.operatorId)).size).toBe(2);
  const [user] = await db.query<{ locked: number }>(`SELECT CASE WHEN "lockedAt" IS NULL THEN 0 ELSE 1 END AS "locked" FROM "User" WHERE "id" = ?`, id);
  expect(user.locked).toBe(1);
  await waitForMail(email, { subject: "An administrator changed your Keycard account", after });
  await page.waitForTimeout(500);
  expect((await mailsTo(email)).filter((m) => m.id > after && m.subject === "An administrator changed your Keycard account")).toHaveLength(1);
  const metrics = await (await playwright.request.newContext({ baseURL: E2E.baseURL })).get("/metrics", { headers: { authorization: `Bearer ${E2E.env.METRICS_TOKEN}` } });
  expect(await metrics.text()).toMatch(/keycard_operator_actions_total\{action="account_locked"\} \d+/);
  // And the log leaves as JSON lines.
  const exported = await a.api.get("/api/admin/audit/export");
  expect(exported.headers()["content-type"]).toContain("application/x-ndjson");
  const lines = (await exported.text()).trim().split("\n").map((l) => JSON.parse(l));
  expect(lines.filter((l) => l.userId === id && l.action === "account_locked")).toHaveLength(40);
  await Promise.all([a.api.dispose(), b.api.dispose()]);
});

test.describe("on the instance where a sign-in stays fresh for 6 seconds", () => {
  test.use({ baseURL: E2E.steadyURL });

  test("each change needs the second factor again once the sign-in is stale: the passkey in place, then the change goes through", async ({ page, browser }) => {
    const theirs = await browser.newContext({ baseURL: E2E.steadyURL });
    const { id } = await personWithApp(await theirs.newPage());
    const { email } = await accountWithPasskey(page, "stale-console");
    admin("grant", email);
    await page.goto(`/admin/users/${id}`);
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await expect(page.getByRole("heading", { name: /@example\.com$/ })).toBeVisible();
    await page.waitForTimeout(7000);
    const stale = await page.request.post(`/api/admin/users/${id}/lock`, { data: { reason: "stale try" } });
    expect(stale.status()).toBe(403);
    expect((await stale.json()).error.code).toBe("reauthentication_required");
    // The whole log in one file needs it too.
    expect((await page.request.get("/api/admin/audit/export")).status()).toBe(403);
    await page.getByLabel("Why lock it").fill("Owner reported a stranger's session");
    await page.getByRole("button", { name: "Lock the account" }).click();
    await expect(page.getByText("This needs a second factor")).toBeVisible();
    await expect(page.getByLabel("Password", { exact: true })).toHaveCount(0);
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await expect(page.getByText("The account is locked")).toBeVisible();
    await theirs.close();
  });
});
