// The HTTP contract, as an API client sees it.
import { expect, test, type APIResponse } from "@playwright/test";
import { queryOne } from "./database";
import { PASSWORD, signUp, uniqueEmail, COOKIE, createAccount } from "./helpers";
import { codeIn, lastMailId, linkIn, waitForMail } from "./mail";
import { E2E } from "./settings";

const errorOf = async (response: APIResponse) => (await response.json()).error as { code: string; message: string; fields?: Record<string, string> };
const setCookies = (response: APIResponse) =>
  response.headersArray().filter((h) => h.name.toLowerCase() === "set-cookie").map((h) => h.value);

test("register: 202 verification_sent, the same for an address that has an account; the code from the mail gives 201 with the user and both cookies", async ({ request, playwright }) => {
  const email = uniqueEmail("api");
  const after = await lastMailId();
  const asked = await request.post("/api/auth/register", { data: { email: `  ${email.toUpperCase()} `, password: PASSWORD } });
  expect(asked.status()).toBe(202);
  expect(await asked.json()).toEqual({ status: "verification_sent" });
  expect(setCookies(asked).some((c) => /kc_sign_up=/.test(c) && /HttpOnly/i.test(c))).toBe(true);
  expect(await queryOne(`SELECT "id" FROM "User" WHERE "email" = ?`, email)).toBeUndefined();

  // The email is trimmed and lower-cased: the code goes to the address itself.
  const mail = await waitForMail(email, { subject: "sign-up code", after });
  expect(linkIn(mail, "/register/verify")).toMatch(new RegExp(`^${E2E.baseURL}/register/verify\\?challenge=`));
  const created = await request.post("/api/auth/register/verify", { data: { code: codeIn(mail) } });
  expect(created.status()).toBe(201);
  expect((await created.json()).user).toMatchObject({ email });
  expect(created.headers()["cache-control"]).toBe("no-store");
  const cookies = setCookies(created);
  expect(cookies.some((c) => c.startsWith(`${COOKIE.access}=`) && /HttpOnly/i.test(c) && /SameSite=lax/i.test(c))).toBe(true);
  expect(cookies.some((c) => c.startsWith(`${COOKIE.refresh}=`) && /HttpOnly/i.test(c))).toBe(true);

  // Someone else tries the same address: the same answer, and the owner is told instead.
  const stranger = await playwright.request.newContext({ baseURL: E2E.baseURL });
  const again = await stranger.post("/api/auth/register", { data: { email, password: "another password" } });
  expect(again.status()).toBe(202);
  expect(await again.json()).toEqual({ status: "verification_sent" });
  const told = await waitForMail(email, { subject: "Someone tried to create", after: mail.id });
  expect(told.text).not.toMatch(/\b\d{6}\b/);
  const guessed = await stranger.post("/api/auth/register/verify", { data: { code: codeIn(mail) } });
  expect(guessed.status()).toBe(400);
  await stranger.dispose();
});

test("login: 200 with the user; 401 invalid_credentials alike for a wrong password and an unknown email", async ({ request }) => {
  const email = uniqueEmail("api");
  await createAccount(request, email);
  const ok = await request.post("/api/auth/login", { data: { email, password: PASSWORD } });
  expect(ok.status()).toBe(200);
  expect((await ok.json()).user.email).toBe(email);

  const wrong = await request.post("/api/auth/login", { data: { email, password: "wrong-password" } });
  const unknown = await request.post("/api/auth/login", { data: { email: uniqueEmail("ghost"), password: "wrong-password" } });
  expect([wrong.status(), unknown.status()]).toEqual([401, 401]);
  expect(await errorOf(wrong)).toEqual(await errorOf(unknown));
  expect((await errorOf(wrong)).code).toBe("invalid_credentials");
});

test("refresh: 200 with expiry times and rotated cookies; 401 missing or invalid, with the cookies cleared", async ({ request, playwright }) => {
  const email = uniqueEmail("api");
  const registered = await createAccount(request, email);
  const refresh = setCookies(registered).find((c) => c.startsWith(`${COOKIE.refresh}=`))!.split(";")[0];

  const bare = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const refreshed = await bare.post("/api/auth/refresh", { headers: { cookie: refresh } });
  expect(refreshed.status()).toBe(200);
  const body = await refreshed.json();
  expect(new Date(body.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now());
  expect(new Date(body.sessionExpiresAt).getTime()).toBeGreaterThan(Date.now());
  const rotated = setCookies(refreshed).find((c) => c.startsWith(`${COOKIE.refresh}=`))!.split(";")[0];
  expect(rotated).not.toBe(refresh);

  await bare.dispose();

  const empty = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const missing = await empty.post("/api/auth/refresh");
  expect(missing.status()).toBe(401);
  expect((await errorOf(missing)).code).toBe("missing");

  const invalid = await empty.post("/api/auth/refresh", { headers: { cookie: `${COOKIE.refresh}=nonsense` } });
  expect(invalid.status()).toBe(401);
  expect((await errorOf(invalid)).code).toBe("invalid");
  expect(setCookies(invalid).filter((c) => (c.startsWith(`${COOKIE.access}=;`) || c.startsWith(`${COOKIE.refresh}=;`)) && /Max-Age=0/i.test(c))).toHaveLength(2);
  await empty.dispose();
});

test("session and logout: 200 while signed in; logout 204, revokes the session, is idempotent; then 401", async ({ request }) => {
  const email = uniqueEmail("api");
  await createAccount(request, email);
  const session = await request.get("/api/auth/session");
  expect(session.status()).toBe(200);
  const body = await session.json();
  expect(body.user.email).toBe(email);
  expect(Object.keys(body.session)).toEqual(expect.arrayContaining(["id", "createdAt", "expiresAt", "accessTokenExpiresAt"]));

  const out = await request.post("/api/auth/logout");
  expect(out.status()).toBe(204);
  expect(await queryOne(`SELECT "revokedReason" FROM "Session" WHERE "id" = ?`, body.session.id)).toEqual({
    revokedReason: "signed_out",
  });
  expect((await request.post("/api/auth/logout")).status()).toBe(204);
  const after = await request.get("/api/auth/session");
  expect(after.status()).toBe(401);
  expect((await errorOf(after)).code).toBe("unauthenticated");
});

test("bad input of every kind gets a 4xx with a clear message, and no account is created", async ({ request }) => {
  const cases: { body?: string; type?: string; status: number; code: string }[] = [
    { body: "{not json", type: "application/json", status: 400, code: "malformed_json" },
    { body: '"a string"', type: "application/json", status: 400, code: "invalid_body" },
    { body: "email=a@b.co", type: "text/plain", status: 415, code: "unsupported_media_type" },
    { body: "", type: "multipart/form-data; boundary=x", status: 415, code: "unsupported_media_type" },
    { body: JSON.stringify({ email: "a@b.co", password: "x".repeat(70_000) }), type: "application/json", status: 413, code: "body_too_large" },
    { body: JSON.stringify({ email: ["a@b.co"], password: 12345678 }), type: "application/json", status: 400, code: "validation_failed" },
    { body: JSON.stringify({}), type: "application/json", status: 400, code: "validation_failed" },
    { body: JSON.stringify({ email: "a@b.co", password: "a".repeat(73) }), type: "application/json", status: 400, code: "validation_failed" },
    { body: JSON.stringify({ email: "a@b.co", password: PASSWORD, role: "admin" }), type: "application/json", status: 400, code: "unknown_fields" },
  ];
  for (const route of ["/api/auth/register", "/api/auth/login"]) {
    for (const c of cases) {
      // A Buffer goes out byte for byte; a string would be JSON-encoded by Playwright.
      const response = await request.post(route, { headers: { "content-type": c.type! }, data: Buffer.from(c.body ?? "") });
      expect(response.status(), `${route} ${c.body?.slice(0, 40)}`).toBe(c.status);
      const error = await errorOf(response);
      expect(error.code).toBe(c.code);
      expect(error.message.length).toBeGreaterThan(10);
    }
  }
  // Other tests sign up meanwhile: look for the one address these bodies carry.
  expect(await queryOne(`SELECT "id" FROM "User" WHERE "email" = ?`, "a@b.co")).toBeUndefined();
});

test("a form post gets a 303 redirect, a JSON post gets JSON", async ({ request }) => {
  const email = uniqueEmail("form");
  const form = await request.post("/api/auth/register", { form: { email, password: PASSWORD }, maxRedirects: 0 });
  expect(form.status()).toBe(303);
  expect(form.headers()["location"]).toBe("/register/verify");
  const bad = await request.post("/api/auth/register", { form: { email: "nope", password: "short" }, maxRedirects: 0 });
  expect(bad.status()).toBe(303);
  expect(bad.headers()["location"]).toMatch(/^\/register\?error=validation_failed.*email_error=email_invalid.*password_error=password_too_short/);
  // What was typed is not put in the address (history, logs): it comes back in a one-minute cookie.
  expect(bad.headers()["location"]).not.toContain("nope");
  expect(bad.headers()["set-cookie"]).toMatch(/kc_form_email=nope;.*Max-Age=60;.*HttpOnly/i);
  const logout = await request.post("/api/auth/logout", { form: {}, maxRedirects: 0 });
  expect(logout.status()).toBe(303);
  expect(logout.headers()["location"]).toBe("/login?signedout=1");
});

test("protected pages and APIs turn signed-out visitors away the right way", async ({ request }) => {
  const page = await request.get("/dashboard?tab=2", { maxRedirects: 0 });
  expect(page.status()).toBe(307);
  expect(page.headers()["location"]).toMatch(/\/login\?next=%2Fdashboard%3Ftab%3D2$/);
  const api = await request.get("/api/auth/session", { maxRedirects: 0 });
  expect(api.status()).toBe(401);
  expect((await errorOf(api)).code).toBe("unauthenticated");
});

test("headers a client sends cannot pose as the middleware's: signed in as A, naming B, the answer is A's", async ({ browser }) => {
  const a = await browser.newContext({ baseURL: E2E.steadyURL });
  const b = await browser.newContext({ baseURL: E2E.steadyURL });
  const { email: emailA } = await signUp(a);
  await signUp(b);
  const bSession = await (await b.request.get("/api/auth/session")).json();
  const response = await a.request.get("/api/auth/session", {
    headers: { "x-keycard-user-id": bSession.user.id, "x-keycard-session-id": bSession.session.id },
  });
  expect(response.status()).toBe(200);
  const answer = await response.json();
  expect(answer.user.email).toBe(emailA);
  expect(answer.session.id).not.toBe(bSession.session.id);
  await a.close();
  await b.close();
});

test("a client without Sec-Fetch-Site whose Origin is APP_ORIGIN passes; another site's is refused as CSRF", async ({ playwright }) => {
  const client = await playwright.request.newContext({ baseURL: E2E.baseURL });
  const login = await client.post("/api/auth/login", {
    headers: { origin: E2E.baseURL },
    data: { email: uniqueEmail("origin"), password: PASSWORD },
  });
  // The sign-in itself fails (no such account): what matters is that it was not refused as CSRF.
  expect(login.status()).toBe(401);
  expect((await errorOf(login)).code).toBe("invalid_credentials");
  for (const origin of ["http://evil.example", E2E.baseURL.replace("localhost", "127.0.0.1")]) {
    const elsewhere = await client.post("/api/auth/login", { headers: { origin }, data: { email: uniqueEmail("origin"), password: PASSWORD } });
    expect(elsewhere.status(), origin).toBe(403);
    expect((await errorOf(elsewhere)).code).toBe("csrf");
  }
  await client.dispose();
});

test("health checks: live and ready answer 200 without a session, uncached, saying nothing about the build", async ({ playwright }) => {
  const lb = await playwright.request.newContext({ baseURL: E2E.baseURL });
  for (const [path, status] of [["/api/health/live", "live"], ["/api/health/ready", "ready"]] as const) {
    const response = await lb.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expect(await response.json(), path).toEqual({ status });
    expect(response.headers()["cache-control"], path).toMatch(/no-store/);
    expect(response.headers()["set-cookie"], path).toBeUndefined();
  }
  await lb.dispose();
});


test("GET /metrics: Prometheus text for the holder of METRICS_TOKEN only, never cached, counting what happens", async ({ playwright }) => {
  const scraper = (token?: string) =>
    playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: token ? { authorization: `Bearer ${token}` } : {} });
  for (const client of [await scraper(), await scraper("not-the-token")]) {
    const refused = await client.get("/metrics");
    expect(refused.status()).toBe(401);
    expect(await refused.text()).not.toContain("keycard_");
    await client.dispose();
  }
  const prometheus = await scraper(E2E.env.METRICS_TOKEN);
  const rotated = async () => {
    const response = await prometheus.get("/metrics");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers()["cache-control"]).toBe("no-store");
    const text = await response.text();
    expect(text).toContain("# TYPE keycard_refreshes_total counter");
    expect(text).toContain("# TYPE keycard_request_duration_seconds histogram");
    return Number(/^keycard_refreshes_total\{outcome="rotated"\} (\d+)$/m.exec(text)?.[1] ?? 0);
  };
  const before = await rotated();
  const person = await playwright.request.newContext({ baseURL: E2E.baseURL });
  expect((await createAccount(person, uniqueEmail("metrics"))).status()).toBe(201);
  expect((await person.post("/api/auth/refresh")).status()).toBe(200);
  // At least this one (other tests refresh on the same instance meanwhile; exact counts: lib/server/metrics.test.ts).
  expect(await rotated()).toBeGreaterThanOrEqual(before + 1);
  await person.dispose();
  await prometheus.dispose();
});

test("the site's icon is served to anyone, and every page links it (no 404 for a favicon)", async ({ playwright }) => {
  const visitor = await playwright.request.newContext({ baseURL: E2E.baseURL });
  const icon = await visitor.get("/icon.svg", { maxRedirects: 0 });
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/^image\/svg\+xml/);
  const page = await visitor.get("/login");
  expect(/<link rel="icon" href="\/icon\.svg[^"]*"[^>]*type="image\/svg\+xml"/.test(await page.text()), "the page links the icon").toBe(true);
  await visitor.dispose();
});
