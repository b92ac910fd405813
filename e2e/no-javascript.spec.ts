import { expect, test } from "@playwright/test";
import { changePasswordWithForm, PASSWORD, registerWithForm, uniqueEmail } from "./helpers";

test.use({ javaScriptEnabled: false });

test("without JavaScript, a person registers, signs out and signs in through the plain forms", async ({ page }) => {
  const email = uniqueEmail("nojs");
  await registerWithForm(page, email);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login\?signedout=1$/);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("That email and password don’t match an account.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(email);

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
});

test("without JavaScript, field errors come back inline with what was typed", async ({ page }) => {
  await page.goto("/register");
  await page.getByLabel("Email").fill("someone@example.com");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/register\?/);
  await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue("someone@example.com");
});

test("without JavaScript, the account page ends another session and changes the password through plain forms", async ({ page, browser }) => {
  const email = uniqueEmail("nojs-account");
  await registerWithForm(page, email);

  const elsewhere = await browser.newContext();
  expect((await elsewhere.request.post("/api/auth/login", { data: { email, password: PASSWORD } })).status()).toBe(200);

  await page.goto("/account");
  await expect(page.getByTestId("session-row")).toHaveCount(2);
  await page.getByTestId("session-row").filter({ hasNotText: "This device" }).getByRole("button", { name: /^Sign out/ }).click();
  await expect(page).toHaveURL(/\/account\?notice=session_ended$/);
  await expect(page.getByText("That session has been signed out.")).toBeVisible();
  await expect(page.getByTestId("session-row")).toHaveCount(1);
  expect((await elsewhere.request.get("/api/auth/session")).status()).toBe(401);

  await changePasswordWithForm(page, "not it at all", "another good password");
  await expect(page.getByText("That isn’t your current password.")).toBeVisible();

  await changePasswordWithForm(page, PASSWORD, "another good password");
  await expect(page.getByText("Your password has been changed")).toBeVisible();
  await elsewhere.close();
});
