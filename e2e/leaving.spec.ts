// Sudo mode, deleting the account and downloading one's data, in the browser. On the instance
// where a sign-in stays fresh for 6 seconds (e2e/settings.json), so the tests can outwait it.
import fs from "node:fs";
import { expect, test } from "./fixtures";
import { createAccount, PASSWORD, uniqueEmail } from "./helpers";
import { lastMailId, waitForMail } from "./mail";
import { E2E } from "./settings";

test.use({ baseURL: E2E.steadyURL });

const staleSignIn = () => new Promise((resolve) => setTimeout(resolve, 7000));

test("deleting the account after a while asks for the password in place, then finishes; the browser ends signed out", async ({ page }) => {
  const email = uniqueEmail("leaving");
  expect((await createAccount(page.context().request, email)).status()).toBe(201);
  await staleSignIn();
  const after = await lastMailId();
  await page.goto("/account");
  await page.locator("summary", { hasText: "Delete my account" }).click();
  await page.getByLabel("Type your email address to confirm").fill(email);
  await page.getByRole("button", { name: "Delete my account" }).click();

  await expect(page.getByText("Confirm it’s you.")).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill("not my password");
  await page.getByRole("button", { name: "Confirm and continue" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That isn’t your current password." })).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Confirm and continue" }).click();

  await expect(page).toHaveURL(/\/login\?deleted=1$/);
  await expect(page.getByText("Your account was deleted. Goodbye.")).toBeVisible();
  const cookies = await page.context().cookies();
  expect(cookies.filter((c) => /kc_(access|refresh)/.test(c.name))).toEqual([]);
  await waitForMail(email, { subject: "Your Keycard account was deleted", after });
  expect((await page.request.post("/api/auth/login", { data: { email, password: PASSWORD } })).status()).toBe(401);
});

test("the API answers 403 reauthentication_required when the sign-in is stale, and the typed address must match", async ({ request }) => {
  const email = uniqueEmail("api-leaving");
  expect((await createAccount(request, email)).status()).toBe(201);
  expect((await request.post("/api/auth/account/delete", { data: { confirm: "someone-else@example.com" } })).status()).toBe(400);
  await staleSignIn();
  const stale = await request.post("/api/auth/account/delete", { data: { confirm: email } });
  expect(stale.status()).toBe(403);
  expect((await stale.json()).error.code).toBe("reauthentication_required");
  const everywhere = await request.post("/api/auth/logout?everywhere=1");
  expect((await everywhere.json()).error.code).toBe("reauthentication_required");
  expect((await request.post("/api/auth/reauthenticate", { data: { password: PASSWORD } })).status()).toBe(204);
  expect((await request.post("/api/auth/account/delete", { data: { confirm: email } })).status()).toBe(204);
});

test("'Download my data' gives a JSON file with the profile, sessions and activity, and no secret", async ({ page }) => {
  const email = uniqueEmail("export");
  expect((await createAccount(page.context().request, email)).status()).toBe(201);
  await page.goto("/account");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download my data" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^keycard-data-\d{4}-\d{2}-\d{2}\.json$/);
  const text = fs.readFileSync(await file.path(), "utf8");
  const data = JSON.parse(text);
  expect(data.profile.email).toBe(email);
  expect(data.sessions[0].current).toBe(true);
  expect(data.securityActivity.events.some((e: { type: string }) => e.type === "signed_in")).toBe(true);
  for (const secret of ["passwordHash", "tokenHash", "$2a$", "$2b$"]) expect(text).not.toContain(secret);
});

test("downloading the data after a while asks to confirm it's you in place, then the file arrives", async ({ page }) => {
  const email = uniqueEmail("export-stale");
  expect((await createAccount(page.context().request, email)).status()).toBe(201);
  await staleSignIn();
  expect((await page.request.get("/api/auth/account/export")).status(), "a script gets 403 reauthentication_required").toBe(403);
  await page.goto("/account");
  await page.getByRole("button", { name: "Download my data" }).click();
  await expect(page.getByText("Confirm it’s you.")).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Confirm and continue" }).click();
  const file = await download;
  expect(JSON.parse(fs.readFileSync(await file.path(), "utf8")).profile.email).toBe(email);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("downloading the data after a while goes to the confirm form first, then the file arrives", async ({ page }) => {
    const email = uniqueEmail("nojs-export");
    expect((await createAccount(page.context().request, email)).status()).toBe(201);
    await staleSignIn();
    await page.goto("/account");
    await page.getByRole("button", { name: "Download my data" }).click();
    await expect(page).toHaveURL(/form=confirm.*error=reauthentication_required/);
    await page.locator("#confirm-password").fill(PASSWORD);
    await page.getByRole("button", { name: "Confirm", exact: true }).click();
    await expect(page.getByText("Confirmed. Now do again what you started.")).toBeVisible();
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download my data" }).click();
    expect(JSON.parse(fs.readFileSync(await (await download).path(), "utf8")).profile.email).toBe(email);
  });

  test("a stale sign-in is sent to confirm with the password, then the deletion goes through", async ({ page }) => {
    const email = uniqueEmail("nojs-leaving");
    expect((await createAccount(page.context().request, email)).status()).toBe(201);
    await staleSignIn();
    await page.goto("/account");
    await page.locator("summary", { hasText: "Delete my account" }).click();
    await page.getByLabel("Type your email address to confirm").fill(email);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page).toHaveURL(/form=danger.*error=reauthentication_required/);
    await page.locator("#confirm-password").fill(PASSWORD);
    await page.getByRole("button", { name: "Confirm", exact: true }).click();
    await expect(page.getByText("Confirmed. Now do again what you started.")).toBeVisible();
    await page.locator("summary", { hasText: "Delete my account" }).click();
    await page.getByLabel("Type your email address to confirm").fill(email);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page).toHaveURL(/\/login\?deleted=1$/);
  });
});
