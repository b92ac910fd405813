// Every limit against forty identical requests released at the same moment (e2e/simultaneous.ts),
// on an instance whose limits are tight (five per ten minutes) and whose windows cannot roll over
// mid-test. Each test comes from its own address, so tests cannot spend each other's budgets.
import { randomBytes } from "node:crypto";
import { countStatuses, sendManyTogether, sendTogether, type RawRequest } from "./simultaneous";
import { expect, test } from "./fixtures";
import { COOKIE, PASSWORD, tokenCookies, uniqueEmail, createAccount } from "./helpers";
import { codeIn, lastMailId, mailsTo, waitForMail } from "./mail";
import { E2E } from "./settings";

const LIMIT = 5;
/** An address of its own for each test: a /64 of its own (IPv6 is counted by its /64), in the documentation prefix. */
const address = () => `2001:db8:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}::1`;
const race = (request: RawRequest) => sendManyTogether(E2E.limitsURL, request, 40);

test("forty sign-ups from one address at the same moment: five codes sent, thirty-five 429s", async ({ db }) => {
  const ip = address();
  const tag = uniqueEmail("burst").split("@")[0];
  const responses = await sendTogether(
    E2E.limitsURL,
    Array.from({ length: 40 }, (_, i) => ({
      method: "POST" as const,
      path: "/api/auth/register",
      headers: { "x-forwarded-for": ip },
      body: { email: `${tag}-${i}@example.com`, password: PASSWORD },
    })),
  );
  expect(countStatuses(responses)).toEqual({ 202: LIMIT, 429: 40 - LIMIT });
  const started = await db.query<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS "n" FROM "EmailChallenge" WHERE "email" LIKE ?`, `${tag}-%`);
  expect(started[0].n).toBe(LIMIT);
});

test("forty sign-ups for one victim's address from forty places at once: five mails reach the inbox, thirty-five 429s", async () => {
  const victim = uniqueEmail("inbox");
  const after = await lastMailId();
  const responses = await sendTogether(
    E2E.limitsURL,
    Array.from({ length: 40 }, () => ({
      method: "POST" as const,
      path: "/api/auth/register",
      headers: { "x-forwarded-for": address() },
      body: { email: victim, password: PASSWORD },
    })),
  );
  expect(countStatuses(responses)).toEqual({ 202: LIMIT, 429: 40 - LIMIT });
  await expect.poll(async () => (await mailsTo(victim)).filter((m) => m.id > after).length).toBe(LIMIT);
});

test("forty guesses at one sign-up code released together: five are compared, every other is told the code is spent", async ({ playwright }) => {
  const email = uniqueEmail("guess");
  const client = await playwright.request.newContext({ baseURL: E2E.limitsURL });
  const asked = await client.post("/api/auth/register", { data: { email, password: PASSWORD }, headers: { "x-forwarded-for": address() } });
  expect(asked.status()).toBe(202);
  const challenge = /kc_sign_up=([^;]+)/.exec(asked.headers()["set-cookie"])![1];
  const right = codeIn(await waitForMail(email, { subject: "sign-up code" }));
  const wrong = right === "000000" ? "111111" : "000000";
  const responses = await sendManyTogether(E2E.limitsURL, { method: "POST", path: "/api/auth/register/verify", body: { challenge, code: wrong } }, 40);
  const codes = responses.map((r) => JSON.parse(r.body).error.code as string);
  expect(codes.filter((c) => c === "code_incorrect").length).toBe(LIMIT);
  expect(codes.filter((c) => c === "code_expired").length).toBe(40 - LIMIT);
  // The right code is too late now.
  const late = await client.post("/api/auth/register/verify", { data: { code: right } });
  expect((await late.json()).error.code).toBe("code_expired");
  await client.dispose();
});

test("forty refreshes with made-up tokens at the same moment: five answered 401, the rest 429", async () => {
  const ip = address();
  const responses = await race({
    method: "POST",
    path: "/api/auth/refresh",
    headers: { "x-forwarded-for": ip, cookie: `${COOKIE.refresh}=${"g".repeat(43)}` },
  });
  expect(countStatuses(responses)).toEqual({ 401: LIMIT, 429: 40 - LIMIT });
  // A 429 leaves the cookies alone: being limited is not a reason to sign anyone out.
  for (const response of responses.filter((r) => r.status === 429)) expect(response.headers["set-cookie"]).toBeUndefined();
});

test("forty guesses at the current password from one session at the same moment: five checked, the rest 429, each wrong one recorded", async ({ browser, db }) => {
  const context = await browser.newContext({ baseURL: E2E.limitsURL, extraHTTPHeaders: { "x-forwarded-for": address() } });
  const email = uniqueEmail("guess");
  expect((await createAccount(context.request, email)).status()).toBe(201);
  const { access } = await tokenCookies(context);
  const responses = await race({
    method: "POST",
    path: "/api/auth/password",
    headers: { cookie: `${COOKIE.access}=${access!.value}` },
    body: { currentPassword: "a guess", newPassword: "a new password" },
  });
  expect(countStatuses(responses)).toEqual({ 400: LIMIT, 429: 40 - LIMIT });
  const [recorded] = await db.query<{ n: number }>(
    `SELECT CAST(count(*) AS INTEGER) AS "n" FROM "SecurityEvent" e JOIN "User" u ON u."id" = e."userId" WHERE u."email" = ? AND e."type" = 'password_change_failed'`,
    email,
  );
  expect(recorded.n).toBe(LIMIT);
  await context.close();
});

test("a right password is not charged: ten sign-ins in a row from one address all work, where the limit is five", async ({ playwright }) => {
  const client = await playwright.request.newContext({ baseURL: E2E.limitsURL, extraHTTPHeaders: { "x-forwarded-for": address() } });
  const email = uniqueEmail("right");
  expect((await createAccount(client, email)).status()).toBe(201);
  for (let i = 0; i < 10; i++) expect((await client.post("/api/auth/login", { data: { email, password: PASSWORD } })).status()).toBe(200);
  await client.dispose();
});

test("forty passkey sign-in challenges asked from one address at the same moment: five given, thirty-five 429s", async () => {
  const responses = await race({ method: "POST", path: "/api/auth/passkeys/sign-in/options", headers: { "x-forwarded-for": address() } });
  expect(countStatuses(responses)).toEqual({ 200: LIMIT, 429: 40 - LIMIT });
  for (const refused of responses.filter((r) => r.status === 429)) {
    expect(JSON.parse(refused.body).error.code).toBe("rate_limited");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
  }
});

test("forty starts of a provider sign-in from one address at once: five leave for the provider, thirty-five 429s, five attempts stored", async ({ db }) => {
  const ip = address();
  const before = await db.query<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS "n" FROM "ProviderSignIn"`);
  const responses = await race({ method: "POST", path: "/api/auth/oauth/corp/start", headers: { "x-forwarded-for": ip }, body: { purpose: "sign_in" } });
  expect(countStatuses(responses)).toEqual({ 200: LIMIT, 429: 40 - LIMIT });
  expect(responses.filter((r) => r.status === 429).every((r) => Number(r.headers["retry-after"]) > 0)).toBe(true);
  const after = await db.query<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS "n" FROM "ProviderSignIn"`);
  expect(after[0].n - before[0].n).toBe(LIMIT);
});
