// What the servers log, read from their own output (e2e/.tmp/servers.log): one JSON line per API
// request with its id, and not one secret of a full session's life in any line.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { changePasswordWithForm, PASSWORD, tokenCookies, uniqueEmail, createAccount } from "./helpers";
import { E2E } from "./settings";

const serverLog = () => fs.readFileSync(path.join(__dirname, "..", E2E.serverLogFile), "utf8");

test("a sign-up, sign-ins, refreshes, failed attempts and a password change leave no secret in any log line", async ({ page, playwright }) => {
  const email = uniqueEmail("logged");
  const secrets = new Set<string>([PASSWORD, "a wrong guess!", "the new password 1"]);
  const collect = async () => {
    const { access, refresh } = await tokenCookies(page.context());
    for (const cookie of [access, refresh]) if (cookie) secrets.add(cookie.value);
  };

  const api = page.context().request;
  expect((await createAccount(api, email)).status()).toBe(201);
  await collect();
  expect((await api.post("/api/auth/login", { data: { email, password: "a wrong guess!" } })).status()).toBe(401);
  const signedIn = await api.post("/api/auth/login", { data: { email, password: PASSWORD } });
  expect(signedIn.status()).toBe(200);
  await collect();
  expect((await api.post("/api/auth/refresh")).status()).toBe(200);
  await collect();
  const accountPage = await page.goto("/account");
  const pageRequestId = (await accountPage!.allHeaders())["x-request-id"];
  await changePasswordWithForm(page, "a wrong guess!", "the new password 1");
  await expect(page.getByText("That isn’t your current password.")).toBeVisible();
  await changePasswordWithForm(page, PASSWORD, "the new password 1");
  await expect(page.getByText("Your password has been changed")).toBeVisible();
  await collect();
  // A bearer token and a form post too.
  const form = await playwright.request.newContext({ baseURL: E2E.baseURL });
  await form.post("/api/auth/login", { form: { email, password: "another wrong one" }, maxRedirects: 0 });
  secrets.add("another wrong one");
  await form.dispose();

  const requestId = signedIn.headers()["x-request-id"];
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  await expect.poll(() => serverLog().includes(requestId)).toBe(true);
  const log = serverLog();
  const line = log.split("\n").find((l) => l.includes(requestId) && l.includes('"msg":"request"'))!;
  expect(JSON.parse(line)).toMatchObject({ requestId, method: "POST", route: "/api/auth/login", status: 200 });
  // Pages get their line from the edge middleware, with who asked.
  const pageLine = log.split("\n").find((l) => l.includes(pageRequestId) && l.includes('"msg":"page"'))!;
  expect(JSON.parse(pageLine)).toMatchObject({ requestId: pageRequestId, method: "GET", route: "/account", status: 200 });
  expect(JSON.parse(pageLine).userId).toBeTruthy();
  for (const secret of secrets) expect(log.includes(secret), `a secret (${secret.slice(0, 6)}…) reached the log`).toBe(false);
  // The wrong current password is a security event, logged at warn for alerting.
  expect(log).toMatch(/"level":40[^\n]*"event":"password_change_failed"/);
});
