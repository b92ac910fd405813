import assert from "node:assert/strict";
import { it } from "node:test";
import { clientInfo } from "./client-info";

const from = (headers: Record<string, string>, trustedProxies = 0) =>
  clientInfo(new Request("http://keycard.test/", { headers }), trustedProxies);

it("without a proxy, takes the address the server saw, in the form people know", () => {
  assert.deepEqual(from({ "x-forwarded-for": "::ffff:127.0.0.1" }), { userAgent: null, ip: "127.0.0.1" });
  assert.equal(from({ "x-forwarded-for": "2001:db8::1" }).ip, "2001:db8::1");
  assert.equal(from({}).ip, null);
  assert.equal(from({ "user-agent": "x".repeat(600) }).userAgent?.length, 512);
});

it("behind N trusted proxies, takes what the outermost one saw, never what the client claimed", () => {
  // client claims 6.6.6.6; the CDN saw 198.51.100.7 and the load balancer saw the CDN at 203.0.113.9
  const chain = { "x-forwarded-for": "6.6.6.6, 198.51.100.7, 203.0.113.9" };
  assert.equal(from(chain, 1).ip, "203.0.113.9");
  assert.equal(from(chain, 2).ip, "198.51.100.7");
  // Fewer entries than trusted proxies: the first one is the nearest we have.
  assert.equal(from({ "x-forwarded-for": "198.51.100.7" }, 2).ip, "198.51.100.7");
});
