// Two-step sign-in in the browser: set up an authenticator app from /account (the test computes
// the app's codes from the key the page shows, as an app would), sign in with a code, with a
// recovery code, without JavaScript, and race the second step.
import { codeFor, finishSecondStep, turnOnApp } from "./factors";
import { expect, test } from "./fixtures";
import { createAccount, PASSWORD, uniqueEmail, signInWithForm } from "./helpers";
import { lastMailId, waitForMail } from "./mail";
import { sendManyTogether } from "./simultaneous";
import { E2E } from "./settings";

test("set up from /account with the QR code's key, then a sign-in asks for the app's code", async ({ page, browser }) => {
  const email = uniqueEmail("twostep");
  expect((await createAccount(page.context().request, email)).status()).toBe(201);
  await page.goto("/account");
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(page.getByRole("img", { name: "QR code of your authenticator key" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").textContent())!;
  await page.getByLabel("Code from the app").fill("000000" === codeFor(secret, 0) ? "111111" : "000000");
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That code isn’t right" })).toBeVisible();
  await page.getByLabel("Code from the app").fill(codeFor(secret, 0));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download as text" }).click();
  expect((await download).suggestedFilename()).toBe("keycard-recovery-codes.txt");
  await page.getByRole("button", { name: "I’ve saved them" }).click();
  await expect(page.getByText("10 recovery codes left.")).toBeVisible();

  const other = await browser.newContext({ baseURL: E2E.baseURL });
  const phone = await other.newPage();
  await phone.goto("/login");
  await signInWithForm(phone, email);
  await expect(phone).toHaveURL(/\/login\/verify/);
  expect((await phone.request.get("/api/auth/session")).status()).toBe(401);
  const cookies = await other.cookies();
  expect(cookies.find((c) => c.name.endsWith("kc_second_step"))?.httpOnly).toBe(true);
  expect(cookies.some((c) => /kc_(access|refresh)/.test(c.name))).toBe(false);
  await phone.getByLabel("Code").fill(codeFor(secret) === "000000" ? "111111" : "000000");
  await phone.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(phone.locator("#code-error")).toHaveText("That code isn’t right. 4 tries left.");
  await finishSecondStep(phone, codeFor(secret));
  await other.close();
});

test("a recovery code signs in once and says how many are left; the same code again does not", async ({ page, playwright }) => {
  const email = uniqueEmail("recovery");
  expect((await createAccount(page.context().request, email)).status()).toBe(201);
  const { recoveryCodes } = await turnOnApp(page.context().request);
  await page.context().clearCookies();
  await page.goto("/login");
  await signInWithForm(page, email);
  await page.getByLabel("Code").fill(recoveryCodes[3].toUpperCase());
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("You signed in with a recovery code: 9 left.")).toBeVisible();

  const api = await playwright.request.newContext({ baseURL: E2E.baseURL });
  expect((await api.post("/api/auth/login", { data: { email, password: PASSWORD } })).status()).toBe(202);
  const reused = await api.post("/api/auth/login/verify", { data: { code: recoveryCodes[3] } });
  expect(reused.status()).toBe(400);
  expect((await reused.json()).error.code).toBe("code_incorrect");
  await api.dispose();
});

test("forty codes at one pending sign-in released together: five are checked, the rest must start again", async ({ playwright }) => {
  const email = uniqueEmail("race-2fa");
  const api = await playwright.request.newContext({ baseURL: E2E.baseURL });
  expect((await createAccount(api, email)).status()).toBe(201);
  const { secret } = await turnOnApp(api);
  await api.post("/api/auth/logout");
  const first = await api.post("/api/auth/login", { data: { email, password: PASSWORD } });
  expect(await first.json()).toEqual({ status: "second_factor_required" });
  const pending = /kc_second_step=([^;]+)/.exec(first.headers()["set-cookie"])![1];
  const wrong = codeFor(secret) === "000000" ? "111111" : "000000";
  const responses = await sendManyTogether(E2E.baseURL, { method: "POST", path: "/api/auth/login/verify", headers: { cookie: `__Host-kc_second_step=${pending}` }, body: { code: wrong } }, 40);
  const codes = responses.map((r) => JSON.parse(r.body).error.code as string);
  expect(codes.filter((c) => c === "code_incorrect").length).toBe(5);
  expect(codes.filter((c) => c === "sign_in_expired").length).toBe(35);
  const late = await api.post("/api/auth/login/verify", { data: { code: codeFor(secret) } });
  expect((await late.json()).error.code).toBe("sign_in_expired");
  await api.dispose();
});

test.describe("on the instance where a sign-in stays fresh for 6 seconds", () => {
  test.use({ baseURL: E2E.steadyURL });

  test("turning it off after a while asks for the password in place, then mails the owner", async ({ page }) => {
    const email = uniqueEmail("off");
    expect((await createAccount(page.context().request, email)).status()).toBe(201);
    const { secret } = await turnOnApp(page.context().request);
    await new Promise((resolve) => setTimeout(resolve, 7000));
    const after = await lastMailId();
    await page.goto("/account");
    await page.getByRole("button", { name: "Turn off two-step sign-in" }).click();
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Confirm and continue" }).click();
    // With the app on, confirming it's you takes its code too.
    await expect(page.getByText("Also enter the code from your authenticator app")).toBeVisible();
    await page.getByLabel("Code from your authenticator app").fill(codeFor(secret));
    await page.getByRole("button", { name: "Confirm and continue" }).click();
    await expect(page.getByText("Two-step sign-in is off.")).toBeVisible();
    await waitForMail(email, { subject: "Two-step sign-in was turned off", after });
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the second step is a plain form", async ({ page }) => {
    const email = uniqueEmail("nojs-2fa");
    expect((await createAccount(page.context().request, email)).status()).toBe(201);
    const { secret } = await turnOnApp(page.context().request);
    await page.context().clearCookies();
    await page.goto("/login?next=%2Faccount");
    await signInWithForm(page, email);
    await expect(page).toHaveURL(/\/login\/verify\?next=%2Faccount$/);
    await page.getByLabel("Code").fill("12");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByLabel("Code").fill(codeFor(secret));
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByText("Signed in as")).toBeVisible();
  });
});
