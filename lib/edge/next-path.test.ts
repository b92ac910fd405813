import assert from "node:assert/strict";
import { it } from "node:test";
import { safeNextPath } from "./next-path";

it("keeps same-site paths with their query and fragment", () => {
  assert.equal(safeNextPath("/dashboard"), "/dashboard");
  assert.equal(safeNextPath("/dashboard?tab=2#top"), "/dashboard?tab=2#top");
  assert.equal(safeNextPath("/account/../dashboard"), "/dashboard");
});

it("sends anything that could leave the site to the dashboard", () => {
  for (const evil of [
    "https://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/%09/evil.example",
    "\t//evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
    null,
    undefined,
  ]) {
    const result = safeNextPath(evil);
    // Whatever comes back, a browser resolving it against our origin stays on our origin.
    assert.equal(new URL(result, "https://keycard.test").origin, "https://keycard.test", String(evil));
    assert.ok(result.startsWith("/") && !result.startsWith("//") && !result.includes("\\"), String(evil));
  }
  assert.equal(safeNextPath("https://evil.example"), "/dashboard");
  assert.equal(safeNextPath("//evil.example"), "/dashboard");
});

it("never loops back to the sign-in pages or to an API route", () => {
  assert.equal(safeNextPath("/login?next=/login"), "/dashboard");
  assert.equal(safeNextPath("/register"), "/dashboard");
  assert.equal(safeNextPath("/api/auth/logout"), "/dashboard");
});
