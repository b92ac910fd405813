// Recovery that cannot be turned against the owner (docs/decisions/0010-recovery.md), in Chromium
// and over plain HTTP: the review's attack, resets that wait for the second factor, second-step
// limits raced over raw sockets, a locked account, the client's address from the socket.
import os from "node:os";
import { secondStepCookieName } from "../lib/edge/cookies";
import { expect, test } from "./fixtures";
import { accountWithPasskey, codeFor, finishSecondStep, settleWaysIn, turnOnApp } from "./factors";
import { changePasswordWithForm, COOKIE, createAccount, PASSWORD, signInWithForm, uniqueEmail } from "./helpers";
import { startInstance } from "./instance";
import { codeIn, lastMailId, linkIn, mailsTo, waitForMail } from "./mail";
import { countStatuses, sendTogether } from "./simultaneous";
import { E2E } from "./settings";

type API = import("@playwright/test").APIRequestContext;

/** Moves the account `api` is signed in to onto `to`, proving it with the mailed code. */
async function moveAddress(api: API, to: string) {
  const after = await lastMailId();
  const asked = await api.post("/api/auth/email", { data: { email: to } });
  expect(asked.status(), await asked.text()).toBe(202);
  const { challenge } = await asked.json();
  const code = codeIn(await waitForMail(to, { subject: "Confirm your new Keycard address", after }));
  expect((await api.post("/api/auth/email/verify", { data: { challenge, code } })).status()).toBe(200);
}

const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;

test("the review's attack fails over HTTP: with the password and a fresh session, two moves and the second undo leave the owner's link working and the app asked", async ({ playwright }) => {
  const owner = uniqueEmail("owner");
  const [a1, a2] = [uniqueEmail("a1"), uniqueEmail("a2")];
  const api = await playwright.request.newContext({ baseURL: E2E.baseURL });
  expect((await createAccount(api, owner)).status()).toBe(201);
  const { secret } = await turnOnApp(api);
  await settleWaysIn(owner);
  const start = await lastMailId();
  await moveAddress(api, a1);
  await moveAddress(api, a2);
  const ownersLink = linkIn(await waitForMail(owner, { subject: "Your Keycard address was changed", after: start }), "/undo-email-change");
  await waitForMail(owner, { subject: "changed again", after: start });
  const theirLink = linkIn(await waitForMail(a1, { subject: "Your Keycard address was changed", after: start }), "/undo-email-change");

  // Their undo link does what the owner's says: the owner's address comes back.
  const undone = await playwright.request.newContext({ baseURL: E2E.baseURL });
  const theirs = await undone.post("/api/auth/email/undo", { data: { token: tokenOf(theirLink) } });
  expect(await theirs.json()).toEqual({ status: "restored" });
  expect((await api.get("/api/auth/session")).status()).toBe(401);
  // The owner's link still works.
  expect(await (await undone.post("/api/auth/email/undo", { data: { token: tokenOf(ownersLink) } })).json()).toEqual({ status: "restored" });

  // A reset through a1 sends nothing; through the owner's address it waits for the app.
  const resetAfter = await lastMailId();
  expect((await undone.post("/api/auth/password-reset", { data: { email: a1 } })).status()).toBe(202);
  expect((await undone.post("/api/auth/password-reset", { data: { email: owner } })).status()).toBe(202);
  const reset = await waitForMail(owner, { subject: "Reset your Keycard password", after: resetAfter });
  const confirmed = await undone.post("/api/auth/password-reset/confirm", { data: { token: tokenOf(linkIn(reset, "/reset-password")), password: "someone else's passphrase" } });
  expect(confirmed.status()).toBe(202);
  expect((await confirmed.json()).status).toBe("second_factor_required");
  expect((await mailsTo(a1)).filter((m) => m.id > resetAfter)).toEqual([]);
  void secret;
  await Promise.all([api.dispose(), undone.dispose()]);
});

test("a reset on a two-step account changes nothing until the app's code: the other session lives, the old password still works", async ({ page, browser, playwright }) => {
  const email = uniqueEmail("reset-2fa");
  const laptop = await browser.newContext({ baseURL: E2E.baseURL });
  expect((await createAccount(laptop.request, email)).status()).toBe(201);
  await turnOnApp(laptop.request);
  const after = await lastMailId();
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await page.goto(linkIn(await waitForMail(email, { subject: "Reset your Keycard password", after }), "/reset-password"));
  await page.getByLabel("New password").fill("a brand new passphrase");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/login\/verify/);
  expect((await laptop.request.get("/api/auth/session")).status(), "the other session still works").toBe(200);
  const elsewhere = await playwright.request.newContext({ baseURL: E2E.baseURL });
  expect((await elsewhere.post("/api/auth/login", { data: { email, password: PASSWORD } })).status(), "the old password still works").toBe(202);
  expect((await elsewhere.post("/api/auth/login", { data: { email, password: "a brand new passphrase" } })).status(), "the new one does not yet").toBe(401);
  expect((await mailsTo(email)).filter((m) => m.id > after && m.subject.includes("password was changed"))).toEqual([]);
  await Promise.all([laptop.close(), elsewhere.dispose()]);
});

test("a reset on a two-step account is applied by the app's code: signed in, the old password and the other sessions gone", async ({ page, browser }) => {
  const email = uniqueEmail("reset-done");
  const laptop = await browser.newContext({ baseURL: E2E.baseURL });
  expect((await createAccount(laptop.request, email)).status()).toBe(201);
  const { secret } = await turnOnApp(laptop.request);
  const after = await lastMailId();
  expect((await page.request.post("/api/auth/password-reset", { data: { email } })).status()).toBe(202);
  await page.goto(linkIn(await waitForMail(email, { subject: "Reset your Keycard password", after }), "/reset-password"));
  await page.getByLabel("New password").fill("a brand new passphrase");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/login\/verify/);
  await page.getByLabel("Code").fill(codeFor(secret));
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/account/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  await waitForMail(email, { subject: "Your Keycard password was changed", after });
  expect((await laptop.request.get("/api/auth/session")).status()).toBe(401);
  expect((await page.request.post("/api/auth/login", { data: { email, password: PASSWORD } })).status()).toBe(401);
  await laptop.close();
});

test("a passkey finishes the second step instead of the app's code", async ({ page }) => {
  const { email, cdp, id } = await accountWithPasskey(page, "passkey-2nd");
  await turnOnApp(page.context().request);
  expect((await page.request.post("/api/auth/logout")).status()).toBe(204);
  // The authenticator waits for a touch: it must not answer the email field's autofill by itself.
  await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId: id, enabled: false });
  await page.goto("/login");
  await signInWithForm(page, email);
  await expect(page).toHaveURL(/\/login\/verify/);
  await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId: id, enabled: true });
  await page.getByRole("button", { name: "Use a passkey instead" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  const access = (await page.context().cookies()).find((c) => c.name === COOKIE.access)!;
  const claims = JSON.parse(Buffer.from(access.value.split(".")[1], "base64url").toString());
  expect(claims.amr).toEqual(expect.arrayContaining(["pwd", "mfa"]));
  expect(claims.amr.some((m: string) => m === "hwk" || m === "swk")).toBe(true);
});

test("forty wrong codes from eight places the account does not know, released together: ten are checked; the owner's own browser still signs in", async ({ playwright, browser }) => {
  const email = uniqueEmail("places");
  const owner = await browser.newContext({ baseURL: E2E.baseURL });
  expect((await createAccount(owner.request, email)).status()).toBe(201);
  const { secret } = await turnOnApp(owner.request);
  const places = Array.from({ length: 8 }, (_, i) => `2001:db8:${(0x100 + i).toString(16)}:${Date.now() % 0xffff}::1`);
  const pending: string[] = [];
  for (const ip of places) {
    const stranger = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { "x-forwarded-for": ip } });
    const first = await stranger.post("/api/auth/login", { data: { email, password: PASSWORD } });
    expect(first.status()).toBe(202);
    pending.push(/kc_second_step=([^;]+)/.exec(first.headers()["set-cookie"])![1]);
    await stranger.dispose();
  }
  const wrong = codeFor(secret) === "000000" ? "111111" : "000000";
  const responses = await sendTogether(
    E2E.baseURL,
    places.flatMap((ip, i) => Array.from({ length: 5 }, () => ({ method: "POST" as const, path: "/api/auth/login/verify", headers: { "x-forwarded-for": ip, cookie: `${secondStepCookieName({ cookieSecure: true })}=${pending[i]}` }, body: { code: wrong } }))),
  );
  const codes = responses.map((r) => JSON.parse(r.body).error.code as string);
  expect(codes.filter((c) => c === "code_incorrect").length, "the account's budget for strangers").toBe(10);
  expect(codes.filter((c) => c === "rate_limited").length).toBe(30);
  // The owner, from the browser that made the account: its own budget.
  const page = await owner.newPage();
  await owner.clearCookies({ name: COOKIE.refresh });
  await owner.clearCookies({ name: COOKIE.access });
  await page.goto("/login");
  await signInWithForm(page, email);
  await finishSecondStep(page, codeFor(secret));
  await owner.close();
});

test("when the address to put back belongs to another account now, the account is locked: the page says so with whom to contact, and sign-in says it too", async ({ page, browser }) => {
  const owner = uniqueEmail("lock");
  const moved = uniqueEmail("lock-moved");
  const api = await browser.newContext({ baseURL: E2E.baseURL });
  expect((await createAccount(api.request, owner)).status()).toBe(201);
  const start = await lastMailId();
  await moveAddress(api.request, moved);
  const link = linkIn(await waitForMail(owner, { subject: "Your Keycard address was changed", after: start }), "/undo-email-change");
  const someoneElse = await browser.newContext({ baseURL: E2E.baseURL });
  expect((await createAccount(someoneElse.request, owner)).status()).toBe(201);
  await page.goto(link);
  await page.getByRole("button", { name: "Put my address back and sign out everywhere" }).click();
  await expect(page.getByRole("heading", { name: "Your account is locked to protect it" })).toBeVisible();
  await expect(page.getByText(E2E.env.SUPPORT_CONTACT)).toBeVisible();
  await waitForMail(moved, { subject: "was locked to protect it", after: start });
  await page.goto("/login");
  await signInWithForm(page, moved);
  await expect(page.getByRole("alert").filter({ hasText: `This account is locked to protect it` })).toContainText(E2E.env.SUPPORT_CONTACT);
  await Promise.all([api.close(), someoneElse.close()]);
});

test("a sign-out with a refresh token rotated long ago is a reuse: the session ends for reuse and its owner is mailed", async ({ playwright }) => {
  const email = uniqueEmail("signout-reuse");
  const api = await playwright.request.newContext({ baseURL: E2E.baseURL });
  expect((await createAccount(api, email)).status()).toBe(201);
  const copied = (await api.storageState()).cookies.find((c) => c.name === COOKIE.refresh)!.value;
  expect((await api.post("/api/auth/refresh")).status()).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, (Number(E2E.env.REFRESH_GRACE_SECONDS) + 1) * 1000));
  const after = await lastMailId();
  const thief = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { cookie: `${COOKIE.refresh}=${copied}` } });
  expect((await thief.post("/api/auth/logout")).status()).toBe(204);
  await waitForMail(email, { subject: "A Keycard session was ended to protect your account", after });
  expect((await api.post("/api/auth/refresh")).status()).toBe(401);
  await Promise.all([api.dispose(), thief.dispose()]);
});

test("a passkey added less than a day ago keeps the address from moving (409 with Retry-After), so a session cannot add its own way in and then take the account", async ({ page }) => {
  await accountWithPasskey(page, "too-soon");
  const asked = await page.request.post("/api/auth/email", { data: { email: uniqueEmail("away") } });
  expect(asked.status()).toBe(409);
  expect((await asked.json()).error.code).toBe("email_change_too_soon");
  expect(Number(asked.headers()["retry-after"])).toBeGreaterThan(23 * 3600);
});

test("a path that only starts like an excluded file goes through the middleware; the file itself does not", async ({ request }) => {
  expect((await request.get("/robots.txtX")).headers()["x-request-id"]).toBeTruthy();
  expect((await request.get("/favicon.icoX")).headers()["x-request-id"]).toBeTruthy();
  expect((await request.get("/icon.svg")).headers()["x-request-id"]).toBeUndefined();
});

test.describe("on the instance where a sign-in stays fresh for 6 seconds", () => {
  test.use({ baseURL: E2E.steadyURL });
  const stale = () => new Promise((resolve) => setTimeout(resolve, 7000));

  test("changing the password from a stale sign-in asks, in place, for the password and the app's code, then changes it", async ({ page }) => {
    const email = uniqueEmail("stale-password");
    expect((await createAccount(page.context().request, email)).status()).toBe(201);
    const { secret } = await turnOnApp(page.context().request);
    await stale();
    await page.goto("/account");
    await changePasswordWithForm(page, PASSWORD, "a new and better passphrase");
    await expect(page.getByText("Confirm it’s you.")).toBeVisible();
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Confirm and continue" }).click();
    await page.getByLabel("Code from your authenticator app").fill(codeFor(secret));
    await page.getByRole("button", { name: "Confirm and continue" }).click();
    await expect(page.getByText("Your password has been changed")).toBeVisible();
  });

  test("moving the address from a stale sign-in asks first (403 over the API); confirming renews the cookies, and a copy of the old ones is not fresh", async ({ playwright }) => {
    const email = uniqueEmail("stale-email");
    const api = await playwright.request.newContext({ baseURL: E2E.steadyURL });
    expect((await createAccount(api, email)).status()).toBe(201);
    const before = (await api.storageState()).cookies.filter((c) => c.name.includes("kc_access") || c.name.includes("kc_refresh"));
    await stale();
    const asked = await api.post("/api/auth/email", { data: { email: uniqueEmail("elsewhere") } });
    expect(asked.status()).toBe(403);
    expect((await asked.json()).error.code).toBe("reauthentication_required");
    const confirmed = await api.post("/api/auth/reauthenticate", { data: { password: PASSWORD } });
    expect(confirmed.status()).toBe(204);
    expect(confirmed.headersArray().filter((h) => h.name.toLowerCase() === "set-cookie").map((h) => h.value.split("=")[0]).sort()).toEqual([COOKIE.access, COOKIE.refresh].sort());
    expect((await api.post("/api/auth/email", { data: { email: uniqueEmail("elsewhere") } })).status()).toBe(202);
    // The cookies from before the confirmation: the access token still verifies, but it is not fresh.
    const copy = await playwright.request.newContext({ baseURL: E2E.steadyURL, extraHTTPHeaders: { cookie: before.map((c) => `${c.name}=${c.value}`).join("; ") } });
    const copied = await copy.post("/api/auth/email", { data: { email: uniqueEmail("thief") } });
    expect(copied.status()).toBe(403);
    await Promise.all([api.dispose(), copy.dispose()]);
  });

  test("mailed codes: forty wrong codes across eight codes for one address, released together — five are checked, the rest 429", async () => {
    const email = uniqueEmail("code-ceiling");
    const challenges: string[] = [];
    for (let i = 0; i < 8; i++) {
      const asked = await fetch(`${E2E.steadyURL}/api/auth/register`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${i + 1}` }, body: JSON.stringify({ email, password: PASSWORD }) });
      expect(asked.status).toBe(202);
      challenges.push(/kc_sign_up=([^;]+)/.exec(asked.headers.get("set-cookie")!)![1]);
    }
    const responses = await sendTogether(
      E2E.steadyURL,
      challenges.flatMap((challenge) => Array.from({ length: 5 }, () => ({ method: "POST" as const, path: "/api/auth/register/verify", body: { challenge, code: "000000" } }))),
    );
    const codes = responses.map((r) => JSON.parse(r.body).error.code as string);
    expect(codes.filter((c) => c === "rate_limited").length).toBe(35);
    expect(codes.filter((c) => c === "code_incorrect" || c === "code_expired").length).toBe(5);
  });
});

test("without a proxy, the client's address is the socket's: the middleware's refresh passes the real one on, and forty sign-ins naming forty made-up addresses meet one per-IP limit (an instance started from another directory)", async ({ playwright }) => {
  test.setTimeout(90_000);
  // This machine's own network address (not loopback): no other test comes from it, so its
  // counters are this test's alone.
  const address = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === "IPv4" && !a.internal)?.address;
  expect(address, "a non-loopback IPv4 address on this machine").toBeTruthy();
  // Started from another directory, as a service manager may start it: its sign-up below hashes and
  // scores on the password thread, which failed (500) from anywhere but the app's own directory.
  const instance = await startInstance("direct", { cwd: os.tmpdir() });
  try {
    const origin = `http://${address}:${E2E.instances.direct.port}`;
    const owner = uniqueEmail("direct-owner");
    const api = await playwright.request.newContext({ baseURL: instance.url });
    expect((await createAccount(api, owner)).status()).toBe(201);
    await api.dispose();

    // An account signs in from there and its access token expires; a page load refreshes through
    // the middleware, and the session keeps the client's address.
    const login = await fetch(`${origin}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: owner, password: PASSWORD }) });
    expect(login.status).toBe(200);
    const jar = new Map(login.headers.getSetCookie().map((line) => line.split(";", 1)[0].split("=") as [string, string]));
    const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    await new Promise((resolve) => setTimeout(resolve, (Number(E2E.env.ACCESS_TOKEN_TTL_SECONDS) + 1) * 1000));
    const page = await fetch(`${origin}/dashboard`, { headers: { cookie: cookie() }, redirect: "manual" });
    expect(page.status).toBe(200);
    expect(page.headers.getSetCookie().length, "the page refreshed its tokens").toBeGreaterThan(0);
    for (const line of page.headers.getSetCookie()) {
      const [name, value] = line.split(";", 1)[0].split("=");
      jar.set(name, value);
    }
    const sessions = await (await fetch(`${origin}/api/auth/sessions`, { headers: { cookie: cookie() } })).json();
    expect(sessions.sessions.find((s: { current: boolean }) => s.current).ip, "seen by the refresh route as the client, not as 127.0.0.1").toBe(address);

    // Forty guesses from there, each naming another address: all counted under the socket's.
    const responses = await sendTogether(
      origin,
      Array.from({ length: 40 }, (_, i) => ({ method: "POST" as const, path: "/api/auth/login", headers: { "x-forwarded-for": `203.0.113.${i + 1}` }, body: { email: `${i}-${owner}`, password: "a guess at it" } })),
    );
    expect(countStatuses(responses), "counted under the socket's address, not the forty named").toEqual({ 401: 5, 429: 35 });
  } finally {
    await instance.kill("SIGTERM");
  }
});
