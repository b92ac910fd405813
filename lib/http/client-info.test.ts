import assert from "node:assert/strict";
import { it } from "node:test";
import { clientInfo } from "./client-info";

const from = (headers: Record<string, string>) => clientInfo(new Request("http://keycard.test/", { headers }));

it("takes the address the nearest proxy added, in the form people know", () => {
  assert.deepEqual(from({ "x-forwarded-for": "::ffff:127.0.0.1" }), { userAgent: null, ip: "127.0.0.1" });
  assert.equal(from({ "x-forwarded-for": "198.51.100.7, 203.0.113.9" }).ip, "203.0.113.9");
  assert.equal(from({ "x-forwarded-for": "2001:db8::1" }).ip, "2001:db8::1");
  assert.equal(from({}).ip, null);
  assert.equal(from({ "user-agent": "x".repeat(600) }).userAgent?.length, 512);
});
