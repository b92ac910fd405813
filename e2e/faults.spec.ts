// Battery 5: the database becomes unavailable in the middle of a refresh. Runs in its own
// Playwright project after every other test, because it takes the database away from them too.
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { signUp, tokenCookies, waitForAccessTokenExpiry } from "./helpers";
import { E2E } from "./settings";

test("with the database locked during a refresh: 503 'try again', cookies kept, and signed in once it is back", async ({ page }) => {
  const { email } = await signUp(page.context());
  await waitForAccessTokenExpiry(page);
  const before = await tokenCookies(page.context());

  // Another process holds the write lock: the refresh's compare-and-swap cannot happen.
  const lock = new Database(path.join(__dirname, "..", E2E.databaseFile));
  lock.exec("BEGIN EXCLUSIVE");
  try {
    const response = await page.goto("/dashboard");
    expect(response?.status()).toBe(503);
    await expect(page.getByRole("heading", { name: "Try again in a moment" })).toBeVisible();
    const during = await tokenCookies(page.context());
    expect(during.refresh?.value).toBe(before.refresh?.value);

    const api = await page.request.get("/api/auth/session");
    expect(api.status()).toBe(503);
    expect((await api.json()).error.code).toBe("store_unavailable");
  } finally {
    lock.exec("ROLLBACK");
    lock.close();
  }

  await page.getByRole("link", { name: "Try again" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  expect((await tokenCookies(page.context())).refresh?.value).not.toBe(before.refresh?.value);
});
