// Passkeys end to end, with Chromium's virtual authenticator (DevTools protocol: WebAuthn.*), a
// CTAP2 device with resident keys and user verification, as a phone or a laptop's would be.
import type { BrowserContext } from "@playwright/test";
import { accountWithPasskey, addPasskey, virtualAuthenticator } from "./factors";
import { expect, test } from "./fixtures";
import { createAccount, PASSWORD, uniqueEmail, waitForAccessTokenExpiry } from "./helpers";
import { E2E } from "./settings";
import { lastMailId, waitForMail } from "./mail";

async function signOut(context: BrowserContext) {
  expect((await context.request.post("/api/auth/logout")).status()).toBe(204);
}

test("add a passkey, sign out, sign in with it: no password, and its signature counter moves", async ({ page, db }) => {
  const email = uniqueEmail("passkey");
  expect((await createAccount(page.context().request, email)).status()).toBe(201);
  const authenticator = await virtualAuthenticator(page);
  const after = await lastMailId();
  await addPasskey(page);
  await expect(page.getByTestId("passkey-row")).toHaveCount(1);
  await expect(page.getByTestId("passkey-row")).toContainText("not used yet");
  await waitForMail(email, { subject: "A passkey was added", after });
  const [before] = await db.query<{ counter: number }>(`SELECT p."counter" FROM "Passkey" p JOIN "User" u ON u."id" = p."userId" WHERE u."email" = ?`, email);

  await signOut(page.context());
  await page.goto("/login");
  // The virtual authenticator may answer the email field's autofill request by itself first.
  await page.getByRole("button", { name: "Sign in with a passkey" }).click({ timeout: 3000 }).catch(() => undefined);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  const [later] = await db.query<{ counter: number }>(`SELECT p."counter" FROM "Passkey" p JOIN "User" u ON u."id" = p."userId" WHERE u."email" = ?`, email);
  expect(later.counter).toBeGreaterThan(before.counter);
  const session = await (await page.request.get("/api/auth/session")).json();
  expect(session.user.email).toBe(email);
  void authenticator;
});

test("a device that does not verify the person (no PIN, no biometric) signs nobody in, and says why", async ({ page }) => {
  const { cdp, id } = await accountWithPasskey(page, "passkey-uv");
  await signOut(page.context());
  await cdp.send("WebAuthn.setUserVerified", { authenticatorId: id, isUserVerified: false });
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /did not confirm it was you|No passkey was used|could not be verified/ })).toBeVisible();
  expect((await page.request.get("/api/auth/session")).status()).toBe(401);
});

test("a removed passkey no longer signs in; renaming shows the new name", async ({ page }) => {
  const { email } = await accountWithPasskey(page, "passkey-rm");
  await page.getByRole("button", { name: /^Rename/ }).click();
  await page.getByLabel("New name").fill("My test laptop");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("passkey-row")).toContainText("My test laptop");
  const after = await lastMailId();
  await page.getByRole("button", { name: "Remove My test laptop" }).click();
  await expect(page.getByTestId("passkey-row")).toHaveCount(0);
  await waitForMail(email, { subject: "A passkey was removed", after });

  await signOut(page.context());
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "not known here" })).toBeVisible();
  expect((await page.request.get("/api/auth/session")).status()).toBe(401);
});

test("the sign-in challenge is single use: a second answer to the same ceremony is refused", async ({ page, request }) => {
  await accountWithPasskey(page, "passkey-replay");
  await signOut(page.context());
  // Capture what the browser sends, then replay it from elsewhere. (The virtual authenticator may
  // answer the autofill request by itself before the button is clicked: either answer will do.)
  const sent = page.waitForRequest((r) => r.url().endsWith("/api/auth/passkeys/sign-in") && r.method() === "POST");
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click({ timeout: 3000 }).catch(() => undefined);
  const body = (await sent).postDataJSON();
  await expect(page).toHaveURL(/\/dashboard$/);
  const replay = await request.post("/api/auth/passkeys/sign-in", { data: body });
  expect(replay.status()).toBe(400);
  expect((await replay.json()).error.code).toBe("passkey_failed");
});

test("a passkey sign-in ends the session this browser held before, even another account's", async ({ page, db }) => {
  const { email: owner } = await accountWithPasskey(page, "passkey-owner");
  await signOut(page.context());
  // While the passkey is being used on the sign-in page, someone else signs in in this browser
  // (another tab): the sign-in arrives with that account's session cookie.
  const other = uniqueEmail("passkey-other");
  let made: Promise<unknown> | undefined; // the autofill's ceremony and the button's may both send
  await page.route("**/api/auth/passkeys/sign-in", async (route) => {
    await (made ??= createAccount(page.context().request, other).then((r) => expect(r.status()).toBe(201)));
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    await route.continue({ headers: { ...route.request().headers(), cookie } });
  });
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click({ timeout: 3000 }).catch(() => undefined);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`Signed in as ${owner}`)).toBeVisible();
  // The other session ends once the browser is seen using the new one: its first refresh.
  expect((await db.sessionState(other)).map((s) => s.revokedReason)).toEqual([null]);
  await waitForAccessTokenExpiry(page);
  await page.goto("/dashboard");
  await expect(page.getByText(`Signed in as ${owner}`)).toBeVisible();
  expect((await db.sessionState(other)).map((s) => s.revokedReason)).toEqual(["signed_out"]);
});

test("a passkey being added is saved even when the sign-in turns stale while the authenticator is open", async ({ browser }) => {
  // On the instance where a sign-in stays fresh for 6 seconds: the browser's answer is held back
  // longer than that, as a person slow at their authenticator's prompt would hold it.
  const context = await browser.newContext({ baseURL: E2E.steadyURL });
  const page = await context.newPage();
  const email = uniqueEmail("passkey-slow");
  expect((await createAccount(context.request, email)).status()).toBe(201);
  await virtualAuthenticator(page);
  const freshForMs = Number(E2E.instances.steady.env.REAUTH_MAX_AGE_SECONDS) * 1000;
  await page.route("**/api/auth/passkeys/register", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, freshForMs + 1000));
    await route.continue();
  });
  await page.goto("/account");
  expect((await context.request.post("/api/auth/reauthenticate", { data: { password: PASSWORD } })).status()).toBe(204);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText("A passkey was added.")).toBeVisible({ timeout: freshForMs + 10_000 });
  await expect(page.getByTestId("passkey-row")).toHaveCount(1);
  await context.close();
});

test("a stale sign-in is confirmed with a passkey instead of the password, once, and what was started goes through", async ({ browser, db }) => {
  // On the instance where a sign-in stays fresh for 6 seconds.
  const context = await browser.newContext({ baseURL: E2E.steadyURL });
  const page = await context.newPage();
  const email = uniqueEmail("passkey-sudo");
  expect((await createAccount(context.request, email)).status()).toBe(201);
  // No passkey yet: nothing to offer, the prompt asks for the password only.
  expect(await (await context.request.get("/api/auth/reauthenticate/passkey")).json()).toEqual({ available: false });
  expect((await context.request.post("/api/auth/reauthenticate/passkey/options")).status()).toBe(404);
  await virtualAuthenticator(page);
  await page.goto("/account");
  expect((await context.request.post("/api/auth/reauthenticate", { data: { password: PASSWORD } })).status()).toBe(204);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText("A passkey was added.")).toBeVisible();
  expect(await (await context.request.get("/api/auth/reauthenticate/passkey")).json()).toEqual({ available: true });

  await new Promise((resolve) => setTimeout(resolve, (Number(E2E.instances.steady.env.REAUTH_MAX_AGE_SECONDS) + 1) * 1000));
  const sent = page.waitForRequest((r) => r.url().endsWith("/api/auth/reauthenticate/passkey") && r.method() === "POST");
  await page.getByTestId("passkey-row").getByRole("button", { name: /^Remove / }).click();
  await expect(page.getByText("Confirm it’s you.")).toBeVisible();
  // Cancelled, the prompt gives focus back to the button it stood in for.
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("passkey-row").getByRole("button", { name: /^Remove / })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByText("Confirm it’s you.")).toBeVisible();
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page.getByTestId("passkey-row")).toHaveCount(0);
  const confirmations = await db.query<{ detail: string | null }>(
    `SELECT e."detail" FROM "SecurityEvent" e JOIN "User" u ON u."id" = e."userId" WHERE u."email" = ? AND e."type" = 'reauthenticated' ORDER BY e."createdAt"`,
    email,
  );
  expect(confirmations.map((e) => e.detail)).toEqual(["with the password", "with a passkey"]); // before adding it, then with it

  // The same answer again: its challenge is spent.
  const replay = await context.request.post("/api/auth/reauthenticate/passkey", { data: (await sent).postDataJSON() });
  expect(replay.status()).toBe(400);
  expect((await replay.json()).error.code).toBe("passkey_failed");
  await context.close();
});

test("an answer whose user handle names another account is refused, though its signature holds (WebAuthn L3 §7.2)", async ({ page }) => {
  await accountWithPasskey(page, "passkey-handle");
  await signOut(page.context());
  // The user handle is not covered by the signature: change it on the way, as an attacker could.
  await page.route("**/api/auth/passkeys/sign-in", async (route) => {
    const body = route.request().postDataJSON();
    body.response.response.userHandle = Buffer.from("00000000-0000-4000-8000-000000000000").toString("base64url");
    await route.continue({ postData: JSON.stringify(body) });
  });
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click({ timeout: 3000 }).catch(() => undefined);
  await expect(page.getByText("This passkey belongs to another account.")).toBeVisible();
  expect((await page.request.get("/api/auth/session")).status()).toBe(401);
});
