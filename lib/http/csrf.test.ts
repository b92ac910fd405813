import assert from "node:assert/strict";
import { it } from "node:test";
import { isCrossSite } from "./csrf";

const post = (headers: Record<string, string>, method = "POST") =>
  new Request("https://keycard.example/api/auth/logout", { method, headers });

it("refuses state-changing requests a browser sent from elsewhere", () => {
  assert.equal(isCrossSite(post({ "sec-fetch-site": "cross-site" }), undefined), true);
  assert.equal(isCrossSite(post({ "sec-fetch-site": "same-site" }), undefined), true);
  assert.equal(isCrossSite(post({ "sec-fetch-site": "none" }), undefined), true);
  assert.equal(isCrossSite(post({ origin: "https://evil.example" }), undefined), true);
  assert.equal(isCrossSite(post({ origin: "null" }), undefined), true);
  assert.equal(isCrossSite(post({ origin: "https://keycard.example" }), "https://login.keycard.example"), true);
});

it("lets our own pages, non-browser clients and safe methods through", () => {
  assert.equal(isCrossSite(post({ "sec-fetch-site": "same-origin", origin: "https://keycard.example" }), undefined), false);
  assert.equal(isCrossSite(post({ origin: "https://keycard.example" }), undefined), false);
  assert.equal(isCrossSite(post({}), undefined), false);
  assert.equal(isCrossSite(post({ "sec-fetch-site": "cross-site" }, "GET"), undefined), false);
  assert.equal(isCrossSite(post({ origin: "https://login.keycard.example" }), "https://login.keycard.example"), false);
});
