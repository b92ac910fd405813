// Shared steps for the browser tests.
import { randomUUID } from "node:crypto";
import { expect, type APIRequestContext, type APIResponse, type BrowserContext, type Page } from "@playwright/test";
import { cookieNames } from "../lib/edge/cookies";
import { query } from "./database";
import { codeIn, lastMailId, waitForMail } from "./mail";
import { E2E } from "./settings";

export const PASSWORD = "correct horse battery";

// The test server is a production build, so its cookies are Secure and __Host- prefixed.
export const COOKIE = cookieNames({ cookieSecure: true });

export const uniqueEmail = (label = "person") => `${label}-${randomUUID().slice(0, 8)}@example.com`;

/**
 * Creates an account the way a person does, over the API: asks (202), reads the code from the mail
 * the test SMTP server received, enters it. Returns the last answer: 201 with the user and the
 * cookies, which `request` now holds.
 */
export async function createAccount(
  request: APIRequestContext,
  email: string,
  options: { password?: string; remember?: boolean; triesOn503?: number } = {},
): Promise<APIResponse> {
  const after = await lastMailId();
  const ask = () => request.post("/api/auth/register", { data: { email, password: options.password ?? PASSWORD, remember: options.remember ?? true } });
  let asked = await ask();
  // `triesOn503`: asked again, a second apart, while the answer is 503 "try again", as a person would.
  for (let tries = 1; asked.status() === 503 && tries < (options.triesOn503 ?? 1); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    asked = await ask();
  }
  expect(asked.status(), await asked.text()).toBe(202);
  const mail = await waitForMail(email, { subject: "sign-up code", after });
  return request.post("/api/auth/register/verify", { data: { code: codeIn(mail) } });
}

/** A new account, signed in within `context` through the API (tests cover the forms themselves). */
export async function signUp(context: BrowserContext, options: { remember?: boolean; email?: string } = {}) {
  const email = options.email ?? uniqueEmail();
  const response = await createAccount(context.request, email, { remember: options.remember });
  expect(response.status()).toBe(201);
  return { email };
}

export async function tokenCookies(context: BrowserContext) {
  const cookies = await context.cookies();
  return {
    access: cookies.find((c) => c.name === COOKIE.access),
    refresh: cookies.find((c) => c.name === COOKIE.refresh),
  };
}

/** Long enough for the test server's access tokens (3 s, no clock tolerance) to expire. */
export const waitForAccessTokenExpiry = (page: Page) =>
  page.waitForTimeout((Number(E2E.env.ACCESS_TOKEN_TTL_SECONDS) + 1) * 1000);

/**
 * Long enough for a consumed refresh token to leave the grace window. The test server's window (8 s)
 * is shorter than production's 10 s but not much: it is counted from when the first of several
 * racing requests is served, and on a busy two-core runner the last of five tabs' requests was
 * seen served 3.5 s after the first.
 */
export const waitForGraceWindow = (page: Page) => page.waitForTimeout((Number(E2E.env.REFRESH_GRACE_SECONDS) + 1) * 1000);

/** Each of `email`'s sessions, oldest first, with how many of its refresh tokens are still live. */
export async function sessionState(email: string) {
  return query<{ id: string; revokedAt: unknown; revokedReason: string | null; liveTokens: number }>(
    `SELECT s."id", s."revokedAt", s."revokedReason",
            CAST((SELECT count(*) FROM "RefreshToken" t WHERE t."sessionId" = s."id" AND t."consumedAt" IS NULL) AS INTEGER) AS "liveTokens"
       FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE u."email" = ? ORDER BY s."createdAt"`,
    email,
  );
}

/** Signs `context` in to an existing account through the API, as another device would. */
export async function signIn(context: BrowserContext, email: string, password = PASSWORD) {
  const response = await context.request.post("/api/auth/login", { data: { email, password } });
  expect(response.status()).toBe(200);
}

/** The session id in an access token (the test reads its own cookie; no verification needed). */
export async function sessionIdOf(context: BrowserContext): Promise<string> {
  const { access } = await tokenCookies(context);
  const payload = JSON.parse(Buffer.from(access!.value.split(".")[1], "base64url").toString());
  return payload.sid;
}

/** Creates an account through the /register form and the code from the mail, as a person would (JavaScript on or off). */
export async function registerWithForm(page: Page, email: string) {
  const after = await lastMailId();
  await page.goto("/register");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/register\/verify/);
  const mail = await waitForMail(email, { subject: "sign-up code", after });
  await page.getByLabel("Code").fill(codeIn(mail));
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Fills and sends the sign-in form of the page `page` is on. */
export async function signInWithForm(page: Page, email: string, password = PASSWORD) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Fills and sends the change-password form on /account. */
export async function changePasswordWithForm(page: Page, current: string, next: string) {
  await page.getByLabel("Current password").fill(current);
  await page.getByLabel("New password", { exact: true }).fill(next);
  await page.getByRole("button", { name: "Change password" }).click();
}
