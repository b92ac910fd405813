// Rotating the signing key signs nobody out. The instances share one database and stand at the
// three steps of a rotation: steady (current key), rotated (new key first, current still
// verifies), retired (new key only). All three issue five-minute tokens, so nothing here expires
// by itself.
import { expect, test } from "@playwright/test";
import { E2E } from "./settings";
import { signUp, tokenCookies } from "./helpers";

const kidOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString()).kid;

test("the JWKS endpoint publishes every verifying key, public parts only", async ({ request }) => {
  const rotated = await request.get(`${E2E.rotatedURL}/.well-known/jwks.json`);
  expect(rotated.status()).toBe(200);
  expect(rotated.headers()["cache-control"]).toContain("max-age");
  const { keys } = await rotated.json();
  expect(keys).toHaveLength(2);
  for (const key of keys) {
    expect(Object.keys(key).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
  }
});

test("through a rotation and a retirement the person stays signed in, without noticing", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: E2E.steadyURL });
  const page = await context.newPage();
  const { email } = await signUp(context);
  const before = (await tokenCookies(page.context())).access!.value;

  // Step 1: an instance that signs with the new key still accepts the token the old key signed.
  const rotated = await page.goto(`${E2E.rotatedURL}/dashboard`);
  expect(rotated?.status()).toBe(200);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  expect((await tokenCookies(page.context())).access!.value).toBe(before);

  // Step 2: once the old key is retired, its token is refused — and silently replaced.
  const retired = await page.goto(`${E2E.retiredURL}/dashboard`);
  expect(retired?.status()).toBe(200);
  expect(retired?.request().redirectedFrom()).toBeNull();
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  const after = (await tokenCookies(page.context())).access!.value;
  expect(after).not.toBe(before);
  expect(kidOf(after)).not.toBe(kidOf(before));
  await context.close();
});

test("after retirement an old-key access token alone gets nothing", async ({ browser, playwright }) => {
  // A five-minute token, so that "refused" cannot be "expired".
  const context = await browser.newContext({ baseURL: E2E.steadyURL });
  await signUp(context);
  const { access } = await tokenCookies(context);
  await context.close();
  const bare = await playwright.request.newContext();
  const withToken = { headers: { cookie: `${access!.name}=${access!.value}` } };
  // The control: before retirement (the rotated instance still verifies the old key) it is accepted.
  expect((await bare.get(`${E2E.rotatedURL}/api/auth/session`, withToken)).status()).toBe(200);
  const response = await bare.get(`${E2E.retiredURL}/api/auth/session`, withToken);
  expect(response.status()).toBe(401);
  // And accepted again where the old key still verifies: refused for its key, nothing else.
  expect((await bare.get(`${E2E.rotatedURL}/api/auth/session`, withToken)).status()).toBe(200);
  await bare.dispose();
});
