// The edge middleware as a function: what it answers before any route runs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NextRequest } from "next/server";
import { parseEdgeConfig } from "@/lib/env";
import { handle } from "@/middleware";
import { signAccessToken } from "@/lib/server/signing-key";
import { generateSecrets } from "@/scripts/secrets.mjs";

const { AUTH_VERIFYING_KEYS, AUTH_SIGNING_KEYS } = generateSecrets();
const production = parseEdgeConfig({ AUTH_VERIFYING_KEYS, NODE_ENV: "production" });
const development = parseEdgeConfig({ AUTH_VERIFYING_KEYS, NODE_ENV: "development" });
const request = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  new NextRequest(`http://localhost:3000${path}`, init);

describe("HSTS", () => {
  it("production (Secure cookies) tells browsers to use HTTPS only, for two years, subdomains included", async () => {
    const response = await handle(request("/login"), production);
    assert.equal(response.headers.get("strict-transport-security"), "max-age=63072000; includeSubDomains");
  });

  it("plain-HTTP development does not, or a developer's browser would refuse http://localhost", async () => {
    const response = await handle(request("/login"), development);
    assert.equal(response.headers.get("strict-transport-security"), null);
  });
});

describe("answers before any route runs", () => {
  it("a signed-out API call gets the catalogue's 401, never cached", async () => {
    const response = await handle(request("/api/auth/sessions"), production);
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { error: { code: "unauthenticated", message: "You are not signed in." } });
    assert.match(response.headers.get("cache-control") ?? "", /no-store/);
  });

  it("a page nobody listed is protected: signed-out visitors go to sign in and come back", async () => {
    const response = await handle(request("/settings?tab=1"), production);
    assert.equal(response.status, 307);
    assert.equal(new URL(response.headers.get("location")!).pathname + new URL(response.headers.get("location")!).search, "/login?next=%2Fsettings%3Ftab%3D1");
  });

  it("a cross-site post is refused with the catalogue's 403 csrf", async () => {
    const response = await handle(request("/api/auth/login", { method: "POST", headers: { "sec-fetch-site": "cross-site" } }), production);
    assert.equal(response.status, 403);
    assert.equal((await response.json()).error.code, "csrf");
  });

  it("headers only the middleware may set are removed from what a client sent", async () => {
    const response = await handle(request("/login", { headers: { "x-keycard-user-id": "someone-else" } }), production);
    // NextResponse.next() carries the request headers it passes on as x-middleware-request-*.
    assert.equal(response.headers.get("x-middleware-request-x-keycard-user-id"), null);
  });
});

describe("renewing a token about to expire", () => {
  // Thirty-second tokens are renewed in their last ten seconds; this server's refresh calls go to a
  // closed port, as when the refresh route cannot be reached.
  const settings = { AUTH_VERIFYING_KEYS, NODE_ENV: "production", ACCESS_TOKEN_TTL_SECONDS: "30", INTERNAL_ORIGIN: "http://127.0.0.1:9" };
  const config = parseEdgeConfig(settings);
  const signing = { ...config, signingKeys: AUTH_SIGNING_KEYS };
  const cookie = (token: string) => ({ cookie: `__Host-kc_access=${token}; __Host-kc_refresh=${"r".repeat(43)}` });

  it("when the renewal fails, the still-valid token serves the request: signed in, cookies untouched", async () => {
    const { token } = await signAccessToken({ userId: "user-1", sessionId: "session-1" }, signing, new Date(Date.now() - 25_000));
    const response = await handle(request("/dashboard", { headers: cookie(token) }), config);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-middleware-request-x-keycard-user-id"), "user-1");
    assert.equal(response.headers.get("set-cookie"), null);
  });

  it("the control: an expired token with the same failed renewal gets 'try again', not the page", async () => {
    const { token } = await signAccessToken({ userId: "user-1", sessionId: "session-1" }, signing, new Date(Date.now() - 60_000));
    const response = await handle(request("/dashboard", { headers: cookie(token) }), config);
    assert.equal(response.status, 503);
    assert.equal(response.headers.get("set-cookie"), null, "the cookies stay");
  });
});

