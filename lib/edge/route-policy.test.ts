import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { it } from "node:test";
import { routePolicy } from "./route-policy";

it("fails closed: a page or API route nobody listed needs a session", () => {
  assert.equal(routePolicy("/settings"), "protected-page");
  assert.equal(routePolicy("/account/anything/new"), "protected-page");
  assert.equal(routePolicy("/api/auth/something-new"), "protected-api");
  assert.equal(routePolicy("/api"), "protected-api");
  // Near misses of the public list are not public.
  assert.equal(routePolicy("/api/auth/login/extra"), "protected-api");
  assert.equal(routePolicy("/login/extra"), "protected-page");
});

it("the sign-in routes, public documents and Next's files need none; home, sign-in and sign-up only show who is signed in", () => {
  for (const p of ["/api/auth/login", "/api/auth/register", "/api/auth/refresh", "/api/auth/logout", "/.well-known/jwks.json", "/_next/data/x.json"]) {
    assert.equal(routePolicy(p), "public", p);
  }
  for (const p of ["/", "/login", "/register"]) assert.equal(routePolicy(p), "optional", p);
});

// Pages for people proving an address (not signed in yet, or any more), and the local mailbox
// (which answers 404 wherever mail goes over SMTP).
const OPTIONAL = ["/", "/login", "/login/verify", "/register", "/register/verify", "/forgot-password", "/reset-password", "/undo-email-change"];
const PUBLIC = ["/dev/mailbox"];

it("every page in app/ is protected unless it is one of the optional or public ones", () => {
  const root = path.join(__dirname, "..", "..", "app");
  const pages: string[] = [];
  const walk = (dir: string, route: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${route}/${entry.name}`);
      else if (entry.name === "page.tsx") pages.push(route || "/");
    }
  };
  walk(root, "");
  assert.ok(pages.includes("/dashboard") && pages.includes("/account"), pages.join(", "));
  for (const page of pages) {
    const expected = OPTIONAL.includes(page) ? "optional" : PUBLIC.includes(page) ? "public" : "protected-page";
    assert.equal(routePolicy(page), expected, page);
  }
});
