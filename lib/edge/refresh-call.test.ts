import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { callRefreshRoute, replaceCookies } from "./refresh-call";

const REFRESH = { name: "kc_refresh", value: "tok" };
const context = { internalOrigin: "http://127.0.0.1:3999", userAgent: "Test", forwardedFor: null };
const answer = (status: number, setCookie: string[] = [], body: unknown = {}) => {
  const headers = new Headers({ "content-type": "application/json" });
  for (const line of setCookie) headers.append("set-cookie", line);
  return async () => new Response(JSON.stringify(body), { status, headers });
};

describe("the middleware's refresh call", () => {
  it("goes to the internal origin with only the refresh cookie", async () => {
    let seen: { url: string; cookie: string | null } | undefined;
    await callRefreshRoute(REFRESH, context, (async (url: string, init: RequestInit) => {
      seen = { url, cookie: new Headers(init.headers).get("cookie") };
      return new Response(null, { status: 401 });
    }) as typeof fetch);
    assert.deepEqual(seen, { url: "http://127.0.0.1:3999/api/auth/refresh", cookie: "kc_refresh=tok" });
  });

  it("returns the new cookies for the browser and their values for the render", async () => {
    const outcome = await callRefreshRoute(
      REFRESH,
      context,
      answer(200, ["kc_access=A2; Path=/; HttpOnly", "kc_refresh=R2; Path=/; HttpOnly"]) as typeof fetch,
    );
    assert.equal(outcome.kind, "refreshed");
    assert.ok(outcome.kind === "refreshed");
    assert.equal(outcome.setCookie.length, 2);
    assert.deepEqual([...outcome.values], [["kc_access", "A2"], ["kc_refresh", "R2"]]);
  });

  it("a 401 signs out with its code; a 5xx or a network failure is only unavailable", async () => {
    const out = await callRefreshRoute(REFRESH, context, answer(401, ["kc_access=; Max-Age=0"], { error: { code: "reused" } }) as typeof fetch);
    assert.deepEqual(out, { kind: "signed-out", setCookie: ["kc_access=; Max-Age=0"], code: "reused" });
    assert.deepEqual(await callRefreshRoute(REFRESH, context, answer(503) as typeof fetch), { kind: "unavailable" });
    const down = (async () => {
      throw new TypeError("fetch failed: ECONNREFUSED");
    }) as typeof fetch;
    const original = console.error;
    console.error = () => {};
    try {
      assert.deepEqual(await callRefreshRoute(REFRESH, context, down), { kind: "unavailable" });
    } finally {
      console.error = original;
    }
  });
});

it("replaceCookies swaps the refreshed cookies and keeps the others", () => {
  const header = replaceCookies("theme=dark; kc_access=old; kc_refresh=oldr", new Map([["kc_access", "new"], ["kc_refresh", "newr"]]));
  assert.equal(header, "theme=dark; kc_access=new; kc_refresh=newr");
  assert.equal(replaceCookies(null, new Map([["kc_access", "a"]])), "kc_access=a");
});
