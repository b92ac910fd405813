// What the metrics count, and that no request can add a series.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { it } from "node:test";
import { NextRequest } from "next/server";
import { testConfig } from "@/lib/testing/settings";
import { useTestDb } from "@/lib/testing/test-db";
import { refreshTokens } from "./actions/refresh";
import { signIn } from "./actions/sign-in";
import { signUpThroughMail } from "@/lib/testing/sign-up";
import { metrics, observeRequest } from "./metrics";
import { contextsFrom } from "@/lib/testing/action-context";

const config = testConfig({ RATE_LIMIT_LOGIN_ACCOUNT_IP: "2/900", REFRESH_GRACE_SECONDS: "10" });
const db = useTestDb();
const t0 = new Date("2026-11-29T12:00:00Z");
const ctx = contextsFrom(db, config, t0, { ip: "198.51.100.3", userAgent: null });

async function value(counter: keyof ReturnType<typeof metrics>, labels: Record<string, string>): Promise<number> {
  const metric = metrics()[counter] as unknown as { get(): Promise<{ values: { labels: Record<string, string>; value: number }[] }> };
  const { values } = await metric.get();
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
}

it("sign-ins, refreshes, sessions ended and limit refusals are counted by outcome", async () => {
  const before = {
    created: await value("signUps", { outcome: "created" }),
    ok: await value("signIns", { outcome: "ok" }),
    wrong: await value("signIns", { outcome: "wrong_password" }),
    limited: await value("signIns", { outcome: "limited" }),
    refusals: await value("rateLimitRefusals", { limit: "login_account_ip" }),
    rotated: await value("refreshes", { outcome: "rotated" }),
    grace: await value("refreshes", { outcome: "grace" }),
    reused: await value("refreshes", { outcome: "reused" }),
    ended: await value("sessionsEnded", { reason: "refresh_token_reused" }),
  };
  const up = await signUpThroughMail({ email: "counted@example.com", password: "correct horse battery", remember: true }, ctx());
  assert.ok((await signIn({ email: "counted@example.com", password: "correct horse battery", remember: true }, ctx(1))).ok);
  for (let i = 0; i < 3; i++) await signIn({ email: "counted@example.com", password: "wrong", remember: true }, ctx(2));
  const refresh = up.tokens.cookies.find((c) => c.name.endsWith("kc_refresh"))!.value;
  assert.ok((await refreshTokens(refresh, ctx(3))).ok);
  assert.ok((await refreshTokens(refresh, ctx(4))).ok); // within the grace window
  assert.equal((await refreshTokens(refresh, ctx(60))).ok, false); // a replay

  assert.equal((await value("signUps", { outcome: "created" })) - before.created, 1);
  assert.equal((await value("signIns", { outcome: "ok" })) - before.ok, 1);
  assert.equal((await value("signIns", { outcome: "wrong_password" })) - before.wrong, 2);
  assert.equal((await value("signIns", { outcome: "limited" })) - before.limited, 1);
  assert.equal((await value("rateLimitRefusals", { limit: "login_account_ip" })) - before.refusals, 1);
  assert.equal((await value("refreshes", { outcome: "rotated" })) - before.rotated, 1);
  assert.equal((await value("refreshes", { outcome: "grace" })) - before.grace, 1);
  assert.equal((await value("refreshes", { outcome: "reused" })) - before.reused, 1);
  assert.equal((await value("sessionsEnded", { reason: "refresh_token_reused" })) - before.ended, 1);
});

it("bcrypt's work and its wait for a thread are timed apart", async () => {
  const count = async (histogram: "passwordWork" | "passwordWait", labels: Record<string, string> = {}) =>
    (await metrics()[histogram].get()).values.find(
      (v) => v.metricName?.endsWith("_count") && Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l),
    )?.value ?? 0;
  // The first unknown email also makes the dummy hash it is compared against: do that first.
  await signIn({ email: "nobody-warm@example.com", password: "whatever", remember: true }, ctx(99));
  const [work, wait] = [await count("passwordWork", { op: "compare" }), await count("passwordWait")];
  await signIn({ email: "nobody-timed@example.com", password: "whatever", remember: true }, ctx(100));
  assert.equal((await count("passwordWork", { op: "compare" })) - work, 1);
  assert.equal((await count("passwordWait")) - wait, 1);
});

it("a thousand requests to random paths add no series: labels come from a fixed set", async () => {
  const series = async () => (await metrics().requestDuration.get()).values.filter((v) => v.metricName?.endsWith("_count")).length;
  observeRequest(new NextRequest("http://keycard.test/api/auth/login", { method: "POST" }), 200, 0.01);
  observeRequest(new NextRequest("http://keycard.test/nowhere", { method: "GET" }), 404, 0.01);
  observeRequest(new NextRequest(`http://keycard.test/api/auth/sessions/${randomUUID()}`, { method: "DELETE" }), 204, 0.01);
  const before = await series();
  assert.ok(before >= 3, `the three patterns above are series (${before})`);
  for (let i = 0; i < 1000; i++) {
    const path = i % 2 ? `/${randomUUID()}/${i}` : `/api/auth/sessions/${randomUUID()}`;
    observeRequest(new NextRequest(`http://keycard.test${path}`, { method: i % 2 ? "GET" : "DELETE" }), i % 2 ? 404 : 204, 0.01);
  }
  assert.equal(await series(), before);
});
