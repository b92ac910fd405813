// Battery 5: the database becomes unavailable in the middle of a refresh. Runs in its own
// Playwright project after every other test, because it takes the database away from them too.
import { expect, test } from "@playwright/test";
import { E2E_DATABASE, takeDatabaseAway } from "./database";
import { signUp, tokenCookies, waitForAccessTokenExpiry } from "./helpers";

test(`with the database (${E2E_DATABASE}) gone during a refresh: 503 'try again', cookies kept, and signed in once it is back`, async ({ page }) => {
  const { email } = await signUp(page.context());
  await waitForAccessTokenExpiry(page);
  const before = await tokenCookies(page.context());

  const bringBack = await takeDatabaseAway();
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
    await bringBack();
  }

  await page.getByRole("link", { name: "Try again" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  expect((await tokenCookies(page.context())).refresh?.value).not.toBe(before.refresh?.value);
});
