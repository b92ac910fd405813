// Second factors in the browser tests: an authenticator app (the test computes its codes from the
// key, as an app would) and passkeys on Chromium's virtual authenticator (DevTools protocol:
// WebAuthn.*), a CTAP2 device with resident keys and user verification, as a phone or a laptop's.
import type { APIRequestContext, CDPSession, Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { expect } from "./fixtures";
import { execute } from "./database";
import { createAccount, uniqueEmail } from "./helpers";

/** What the app shows `steps` time steps from now (the step after setup's, so it is not a replay). */
export const codeFor = (secret: string, steps = 1) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + steps * 30_000 });

/** Turns the app on over the API; returns its key and recovery codes. */
export async function turnOnApp(request: APIRequestContext) {
  const setup = await request.post("/api/auth/two-factor/setup");
  expect(setup.status()).toBe(200);
  const { secret } = await setup.json();
  const confirmed = await request.post("/api/auth/two-factor/confirm", { data: { code: codeFor(secret, 0) } });
  expect(confirmed.status()).toBe(200);
  return { secret: secret as string, recoveryCodes: (await confirmed.json()).recoveryCodes as string[] };
}

export async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; id: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, id: authenticatorId };
}

export async function addPasskey(page: Page) {
  await page.goto("/account");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText("A passkey was added.")).toBeVisible();
}

/** A new account signed in within `page`'s browser, with a passkey on its virtual authenticator. */
export async function accountWithPasskey(page: Page, label: string) {
  const email = uniqueEmail(label);
  expect((await createAccount(page.context().request, email)).status()).toBe(201);
  const authenticator = await virtualAuthenticator(page);
  await addPasskey(page);
  return { email, ...authenticator };
}

/**
 * Dates `email`'s ways in (app, recovery codes, passkeys) two days back, as set up a while ago: a
 * way in added less than a day ago keeps the address from moving (decision 0010).
 */
export async function settleWaysIn(email: string) {
  const earlier = new Date(Date.now() - 2 * 24 * 3600_000);
  const owner = `(SELECT "id" FROM "User" WHERE "email" = ?)`;
  await execute(`UPDATE "TotpFactor" SET "createdAt" = ?, "confirmedAt" = ? WHERE "userId" = ${owner}`, earlier, earlier, email);
  await execute(`UPDATE "RecoveryCode" SET "createdAt" = ? WHERE "userId" = ${owner}`, earlier, email);
  await execute(`UPDATE "Passkey" SET "createdAt" = ? WHERE "userId" = ${owner}`, earlier, email);
}

/**
 * At `/login/verify`: the app's code (or a recovery code), then in — the dashboard, or after a
 * recovery code the account page saying how many are left.
 */
export async function finishSecondStep(page: Page, code: string) {
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/(dashboard|account\?recovery_codes_left=\d+)/);
}
