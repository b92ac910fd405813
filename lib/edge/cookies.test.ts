import assert from "node:assert/strict";
import { it } from "node:test";
import { formEmailCookie, readFormEmail } from "./cookies";

it("an email cut for the form's cookie never splits a character, and a lone surrogate cannot break it", () => {
  const long = `${"a".repeat(253)}😀@example.com`;
  const cookie = formEmailCookie(long, { cookieSecure: true });
  assert.equal(readFormEmail(cookie.value), `${"a".repeat(253)}😀`);
  assert.doesNotThrow(() => formEmailCookie("broken\ud800@example.com", { cookieSecure: true }));
});
