import assert from "node:assert/strict";
import { it } from "node:test";
import { isCrossSite } from "./csrf";

const post = (headers: Record<string, string>, method = "POST") =>
  new Request("https://keycard.example/api/auth/logout", { method, headers });
const noAppOrigin = { appOrigin: undefined, trustedProxies: 0 };
const appOrigin = (origin: string) => ({ appOrigin: origin, trustedProxies: 0 });

it("refuses state-changing requests a browser sent from elsewhere", () => {
  assert.equal(isCrossSite(post({ "sec-fetch-site": "cross-site" }), noAppOrigin), true);
  assert.equal(isCrossSite(post({ "sec-fetch-site": "same-site" }), noAppOrigin), true);
  assert.equal(isCrossSite(post({ "sec-fetch-site": "none" }), noAppOrigin), true);
  assert.equal(isCrossSite(post({ origin: "https://evil.example" }), noAppOrigin), true);
  assert.equal(isCrossSite(post({ origin: "null" }), noAppOrigin), true);
  assert.equal(isCrossSite(post({ origin: "https://keycard.example" }), appOrigin("https://login.keycard.example")), true);
});

it("lets our own pages, non-browser clients and safe methods through", () => {
  assert.equal(isCrossSite(post({ "sec-fetch-site": "same-origin", origin: "https://keycard.example" }), noAppOrigin), false);
  assert.equal(isCrossSite(post({ origin: "https://keycard.example" }), noAppOrigin), false);
  assert.equal(isCrossSite(post({}), noAppOrigin), false);
  assert.equal(isCrossSite(post({ "sec-fetch-site": "cross-site" }, "GET"), noAppOrigin), false);
  assert.equal(isCrossSite(post({ origin: "https://login.keycard.example" }), appOrigin("https://login.keycard.example")), false);
});

it("without APP_ORIGIN, compares Origin with the host the client addressed, not the server's own idea of its URL", () => {
  // next start builds request.url as http://localhost:PORT whatever the client called it.
  const sent = (origin: string, host: string, headers: Record<string, string> = {}) =>
    new Request("http://localhost:3000/api/auth/login", { method: "POST", headers: { origin, host, ...headers } });
  assert.equal(isCrossSite(sent("http://127.0.0.1:3000", "127.0.0.1:3000"), noAppOrigin), false);
  assert.equal(isCrossSite(sent("http://evil.example", "127.0.0.1:3000"), noAppOrigin), true);
  // Forwarded headers count only from a trusted proxy.
  const proxied = sent("https://login.example", "10.0.0.5:3000", { "x-forwarded-host": "login.example", "x-forwarded-proto": "https" });
  assert.equal(isCrossSite(proxied, noAppOrigin), true);
  assert.equal(isCrossSite(proxied, { appOrigin: undefined, trustedProxies: 1 }), false);
});
