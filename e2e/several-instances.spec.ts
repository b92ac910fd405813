// Several instances on one database, as behind a load balancer with no sticky sessions: whatever
// one instance does, every other sees at once, and an instance killed mid-refresh loses nobody.
// Runs on SQLite and on PostgreSQL (scripts/test.mjs); the limits across instances are in
// attacks.spec.ts (battery 4).
import { createHash } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_DATABASE, query } from "./database";
import { COOKIE, signIn, signUp, sessionIdOf, sessionState, tokenCookies, uniqueEmail, waitForAccessTokenExpiry, PASSWORD, createAccount } from "./helpers";
import { startInstance } from "./instance";
import { E2E } from "./settings";

test("a session started on one instance refreshes on another, and the first accepts the result", async ({ page }) => {
  const { email } = await signUp(page.context()); // on the main instance
  const sessionId = await sessionIdOf(page.context());
  const before = await tokenCookies(page.context());
  await waitForAccessTokenExpiry(page);

  await page.goto(`${E2E.steadyURL}/dashboard`);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  expect((await tokenCookies(page.context())).refresh!.value).not.toBe(before.refresh!.value);

  const back = await page.request.get(`${E2E.baseURL}/api/auth/session`);
  expect(back.status()).toBe(200);
  expect((await back.json()).session.id).toBe(sessionId);
});

test("a session ended on one instance is refused by another's route handlers at once", async ({ browser }) => {
  // Five-minute access tokens on this instance: the refusal cannot be the token expiring.
  const laptop = await browser.newContext({ baseURL: E2E.steadyURL });
  const { email } = await signUp(laptop);
  const laptopSession = await sessionIdOf(laptop);
  const phone = await browser.newContext({ baseURL: E2E.baseURL });
  await signIn(phone, email);

  expect((await phone.request.delete(`/api/auth/sessions/${laptopSession}`)).status()).toBe(204);

  const refused = await laptop.request.get("/api/auth/session");
  expect(refused.status()).toBe(401);
  const page = await laptop.newPage();
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
  await laptop.close();
  await phone.close();
});

test(`battery 5 (${E2E_DATABASE}): an instance killed with SIGKILL in the middle of a refresh load loses nobody's session`, async ({ playwright }) => {
  test.setTimeout(120_000);
  const clients: { request: APIRequestContext; email: string; sessionId?: string }[] = [];
  let instance = await startInstance("crashing");
  // Whatever fails, no instance outlives the test: the next run would find its port taken.
  try {
    for (let i = 0; i < 20; i++) {
      const request = await playwright.request.newContext({ baseURL: instance.url });
      const email = uniqueEmail("crash");
      expect((await createAccount(request, email)).status()).toBe(201);
      clients.push({ request, email });
    }

    // Every client refreshes back to back until a refresh fails; the instance dies under them. A
    // failure counts only once the kill has been sent; before that, any failure fails the test. An
    // answer can still arrive after the kill (sent before it, read late on a busy machine): that
    // client simply goes on, and its next refresh finds the instance gone.
    let killed = false;
    let refreshed = 0;
    const load = clients.map(async ({ request }) => {
      for (;;) {
        let response;
        try {
          response = await request.post("/api/auth/refresh");
        } catch (error) {
          if (!killed) throw error;
          return;
        }
        if (response.status() === 200) refreshed++;
        else throw new Error(`refresh answered ${response.status()} ${killed ? "after" : "before"} the kill`);
      }
    });
    await expect.poll(() => refreshed, { timeout: 20_000 }).toBeGreaterThan(100);
    const stopped = instance.kill("SIGKILL");
    killed = true;
    await stopped;
    await Promise.all(load);

    // How many clients hold a token the dead instance had already rotated (committed, answer never
    // sent): the case the grace window is for. How many depends on where the kill landed, so it is
    // reported, not asserted; that case is made on purpose by the next test.
    const held = await Promise.all(clients.map(async ({ request }) => (await request.storageState()).cookies.find((c) => c.name === COOKIE.refresh)!.value));
    const consumed = await query<{ n: number }>(
      `SELECT CAST(count(*) AS INTEGER) AS n FROM "RefreshToken" WHERE "consumedAt" IS NOT NULL AND "tokenHash" IN (${held.map(() => "?").join(", ")})`,
      ...held.map((token) => createHash("sha256").update(token).digest("base64url")),
    );
    test.info().annotations.push({ type: "rotated but never answered", description: `${consumed[0].n} of ${clients.length} clients` });

    // The restart can take seconds on a busy machine: this instance's grace window is 30 s
    // (settings.json), so what is measured is "nothing lost", not how fast a server starts.
    instance = await startInstance("crashing");
    // Each client still holds the cookies of the last answer it received: its refresh token is
    // either unused, or used by a refresh whose answer never arrived (the grace window covers it).
    await Promise.all(
      clients.map(async (client) => {
        const response = await client.request.post("/api/auth/refresh");
        expect(response.status(), `${client.email}: ${await response.text()}`).toBe(200);
        const session = await client.request.get("/api/auth/session");
        expect(session.status(), client.email).toBe(200);
        client.sessionId = (await session.json()).session.id;
      }),
    );
  } finally {
    await instance.kill("SIGTERM");
  }

  // Nothing half-written: a consumed token without its successor would leave a session with no
  // live token, a successor without the consumption one with two.
  const rows = await query<{ sessionId: string; total: number; live: number; revoked: number }>(
    `SELECT t."sessionId",
            CAST(count(*) AS INTEGER) AS total,
            CAST(sum(CASE WHEN t."consumedAt" IS NULL THEN 1 ELSE 0 END) AS INTEGER) AS live,
            CAST(max(CASE WHEN s."revokedAt" IS NULL THEN 0 ELSE 1 END) AS INTEGER) AS revoked
       FROM "RefreshToken" t JOIN "Session" s ON s."id" = t."sessionId"
      WHERE t."sessionId" IN (${clients.map(() => "?").join(", ")})
      GROUP BY t."sessionId"`,
    ...clients.map((c) => c.sessionId),
  );
  expect(rows).toHaveLength(clients.length);
  for (const row of rows) expect(row).toMatchObject({ live: 1, revoked: 0 });
  for (const { request } of clients) await request.dispose();
});

test("a refresh that was committed but never answered, retried inside the grace window, gets the same successor: nobody is signed out", async ({ playwright }) => {
  const client = await playwright.request.newContext({ baseURL: E2E.baseURL });
  const email = uniqueEmail("lost");
  expect((await createAccount(client, email)).status()).toBe(201);
  const { cookies } = await client.storageState();
  const refresh = cookies.find((c) => c.name === COOKIE.refresh)!;

  // The refresh commits, but its answer never reaches the client (another context sends the same
  // cookie; the client's own jar is left as it was), which retries at once.
  const lost = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { cookie: `${refresh.name}=${refresh.value}` } });
  const committed = await lost.post("/api/auth/refresh");
  expect(committed.status()).toBe(200);
  const retried = await client.post("/api/auth/refresh");
  expect(retried.status()).toBe(200);
  const successorOf = (r: typeof committed) => r.headersArray().find((h) => h.name.toLowerCase() === "set-cookie" && h.value.startsWith(`${COOKIE.refresh}=`))!.value.split(";")[0];
  expect(successorOf(retried)).toBe(successorOf(committed));
  expect((await client.get("/api/auth/session")).status()).toBe(200);
  expect((await sessionState(email)).map((s) => [s.revokedReason, s.liveTokens])).toEqual([[null, 1]]);
  await lost.dispose();
  await client.dispose();
});

test("a refresh that was committed but never answered, retried after the grace window, is taken for a replay: the session ends", async ({ playwright }) => {
  // What a client sees if the answer to its refresh is lost (a crash, a dropped connection) and it
  // comes back only after the grace window: its token was used, the server cannot tell it from a
  // thief's copy, so the session ends and the person signs in again. Inside the window (the test
  // above) nothing is lost.
  const client = await playwright.request.newContext({ baseURL: E2E.baseURL });
  const email = uniqueEmail("late");
  expect((await createAccount(client, email)).status()).toBe(201);
  const { cookies } = await client.storageState();
  const refresh = cookies.find((c) => c.name.endsWith("kc_refresh"))!;

  // The refresh reaches the server and commits, but its answer never reaches the client: another
  // context sends the same cookie and the client's own jar is left as it was.
  const lost = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { cookie: `${refresh.name}=${refresh.value}` } });
  expect((await lost.post("/api/auth/refresh")).status()).toBe(200);
  await lost.dispose();

  await new Promise((resolve) => setTimeout(resolve, (Number(E2E.env.REFRESH_GRACE_SECONDS) + 1) * 1000));
  const late = await client.post("/api/auth/refresh");
  expect(late.status()).toBe(401);
  expect((await late.json()).error.code).toBe("reused");
  expect((await sessionState(email)).map((s) => s.revokedReason)).toEqual(["refresh_token_reused"]);
  await client.dispose();
});

