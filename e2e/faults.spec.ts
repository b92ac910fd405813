// Battery 5: the database becomes unavailable in the middle of a refresh. Runs in its own
// Playwright project after every other test, because it takes the database away from them too.
import { expect, test } from "./fixtures";
import { E2E_DATABASE, takeDatabaseAway } from "./database";
import { signUp, tokenCookies, waitForAccessTokenExpiry } from "./helpers";
import { mailsTo, startSmtp, stopSmtp, waitForMail } from "./mail";
import { E2E } from "./settings";

test(`with the database (${E2E_DATABASE}) gone during a refresh: 503 'try again', cookies kept, and signed in once it is back`, async ({ page, person: { email } }) => {
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

    // A load balancer asking is told this instance cannot serve — on PostgreSQL, where nothing
    // can be read; SQLite's lock here stops only writers, and reads (all readiness needs) go on.
    const ready = await page.request.get("/api/health/ready");
    if (E2E_DATABASE === "postgres") {
      expect(ready.status()).toBe(503);
      expect(await ready.json()).toEqual({ error: { code: "not_ready", message: "Not ready: database unreachable." } });
    } else {
      expect(ready.status()).toBe(200);
    }
    expect((await page.request.get("/api/health/live")).status()).toBe(200);
  } finally {
    await bringBack();
  }

  await page.getByRole("link", { name: "Try again" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  expect((await tokenCookies(page.context())).refresh?.value).not.toBe(before.refresh?.value);
});

test(`with the database (${E2E_DATABASE}) gone while the access token is still valid: signing out answers 503 and keeps the cookies; pages never send the person to sign in`, async ({ browser }) => {
  // Five-minute tokens: the access token stays valid throughout, so no refresh is involved.
  const context = await browser.newContext({ baseURL: E2E.steadyURL });
  const page = await context.newPage();
  const { email } = await signUp(context);
  const before = await tokenCookies(context);

  const bringBack = await takeDatabaseAway();
  try {
    const response = await page.goto("/dashboard");
    expect(page.url()).not.toContain("/login");
    if (E2E_DATABASE === "postgres") {
      // No connection at all: the session cannot be checked, and the page says so.
      await expect(page.getByText("We couldn’t load this page just now. You are still signed in")).toBeVisible();
    } else {
      // SQLite: another process holds the write lock; reads still work, so the page renders.
      expect(response?.status()).toBe(200);
      await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
    }

    // Signing out must write: it cannot, so it says "try again" and leaves the cookies alone.
    const logout = await context.request.post("/api/auth/logout");
    expect(logout.status()).toBe(503);
    expect((await logout.json()).error.code).toBe("store_unavailable");
    expect(logout.headers()["set-cookie"]).toBeUndefined();
    const during = await tokenCookies(context);
    expect(during.access?.value).toBe(before.access?.value);
    expect(during.refresh?.value).toBe(before.refresh?.value);
  } finally {
    await bringBack();
  }

  await page.goto("/dashboard");
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  expect((await context.request.post("/api/auth/logout")).status()).toBe(204);
  await context.close();
});

test("with the SMTP server down, asking for a reset still answers 202 at once; the mail arrives once the server is back", async ({ request, person: { email } }) => {
  await stopSmtp();
  try {
    const asked = await request.post("/api/auth/password-reset", { data: { email } });
    expect(asked.status()).toBe(202);
    // Retried with backoff (1 s base here) while the server refuses connections.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await mailsTo(email)).filter((m) => /Reset your/.test(m.subject))).toEqual([]);
  } finally {
    await startSmtp();
  }
  const mail = await waitForMail(email, { subject: "Reset your Keycard password", timeoutMs: 30_000 });
  expect(mail.text).toContain("/reset-password?token=");
});
