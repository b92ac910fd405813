import assert from "node:assert/strict";
import { it } from "node:test";
import { OFF_SITE_NEXT } from "@/lib/testing/off-site-next";
import { safeNextPath, secondStepPath } from "./next-path";


it("keeps same-site paths with their query and fragment", () => {
  assert.equal(safeNextPath("/dashboard"), "/dashboard");
  assert.equal(safeNextPath("/dashboard?tab=2#top"), "/dashboard?tab=2#top");
  assert.equal(safeNextPath("/account/../dashboard"), "/dashboard");
  assert.equal(safeNextPath("/account?next=//evil.example"), "/account?next=//evil.example", "a query is not a host");
});

it(`sends every one of ${OFF_SITE_NEXT.length} off-site spellings to the dashboard, judged on what it returns`, () => {
  for (const evil of [...OFF_SITE_NEXT, "", null, undefined]) {
    const result = safeNextPath(evil);
    assert.equal(result, "/dashboard", JSON.stringify(evil));
  }
});

it("whatever it returns, a browser resolving it stays on our origin", () => {
  // Prefixes and suffixes around the table, to catch a spelling the table missed.
  for (const evil of OFF_SITE_NEXT) {
    for (const candidate of [evil, `/x${evil}`, `${evil}/x`, `/..${evil}`, `/./${evil}`]) {
      const result = safeNextPath(candidate);
      assert.equal(new URL(result, "https://keycard.test").origin, "https://keycard.test", JSON.stringify(candidate));
      assert.ok(result.startsWith("/") && !result.startsWith("//") && !result.includes("\\"), JSON.stringify(candidate));
    }
  }
});

it("never loops back to the sign-in pages or to an API route", () => {
  assert.equal(safeNextPath("/login?next=/login"), "/dashboard");
  assert.equal(safeNextPath("/register"), "/dashboard");
  assert.equal(safeNextPath("/api/auth/logout"), "/dashboard");
  assert.equal(safeNextPath("/%61pi/auth/logout"), "/dashboard");
});

it("the second step's page is followed only as itself, with a next that safeNextPath accepts", () => {
  assert.equal(secondStepPath("/login/verify?next=%2Faccount"), "/login/verify?next=%2Faccount");
  assert.equal(secondStepPath("/login/verify?next=https%3A%2F%2Fevil.example"), "/login/verify?next=%2Fdashboard");
  assert.equal(secondStepPath("//evil.example/login/verify"), null);
  assert.equal(secondStepPath("/account"), null);
  assert.equal(secondStepPath(undefined), null);
});
