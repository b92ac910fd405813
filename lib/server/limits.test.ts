import assert from "node:assert/strict";
import { beforeEach, it } from "node:test";
import { createDb } from "@/lib/db";
import { useTestDatabase } from "@/lib/testing/test-db";
import { testConfig } from "@/lib/testing/settings";
import { limitPlace, settleSuccessfulSignIn, takePasswordCheck, takeSignInAttempt, takeSignUpAttempt } from "./limits";
import { createSession } from "./store/sessions";
import { takeAttempt } from "./store/rate-limits";
import { createUser } from "./store/users";

const config = testConfig({
  RATE_LIMIT_LOGIN_ACCOUNT_IP: "5/900",
  RATE_LIMIT_LOGIN_IP: "20/900",
  RATE_LIMIT_LOGIN_ACCOUNT: "50/3600",
  RATE_LIMIT_REGISTER_IP: "3/3600",
  RATE_LIMIT_PASSWORD_ACCOUNT: "5/900",
});
const t0 = new Date("2026-11-28T12:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const { db, url } = useTestDatabase();
beforeEach(() => db.rateLimit.deleteMany());

const attempt = (email: string, ip: string, when: Date) => takeSignInAttempt(db, { email, ip }, config.limits, when);

it("five attempts from one place: the sixth waits out the window, then may try again", async () => {
  for (let i = 0; i < 5; i++) assert.deepEqual(await attempt("ada@example.com", "198.51.100.1", at(i)), { ok: true });
  assert.deepEqual(await attempt("ada@example.com", "198.51.100.1", at(10)), { ok: false, retryAfterSeconds: 890 });
  assert.deepEqual(await attempt("ada@example.com", "198.51.100.1", at(900)), { ok: true });
});

it("a right password gives its attempt back and clears that place's failures", async () => {
  for (let i = 0; i < 4; i++) await attempt("bob@example.com", "198.51.100.2", at(i));
  await attempt("bob@example.com", "198.51.100.2", at(5));
  await settleSuccessfulSignIn(db, { email: "bob@example.com", ip: "198.51.100.2" });
  for (let i = 0; i < 5; i++) assert.deepEqual(await attempt("bob@example.com", "198.51.100.2", at(10 + i)), { ok: true });
  const ip = await db.rateLimit.findUniqueOrThrow({ where: { key: "login:ip:198.51.100.2" } });
  assert.equal(ip.count, 9, "ten attempts from the IP, one of them given back");
});

it("one IP guessing across many accounts is stopped by the per-IP limit", async () => {
  for (let i = 0; i < 20; i++) assert.equal((await attempt(`victim${i}@example.com`, "203.0.113.66", at(i))).ok, true);
  assert.equal((await attempt("someone-new@example.com", "203.0.113.66", at(30))).ok, false);
});

it("the per-IP limit cannot lock out everyone behind one address: people who signed in from it before still get in", async () => {
  // Everyone arrives from one address, as behind a CDN with TRUSTED_PROXIES set too low.
  const shared = "192.0.2.200";
  const regular = await createUser(db, { email: "regular@example.com", password: "password123" }, config, t0);
  assert.ok(regular.ok);
  await createSession(db, { userId: regular.user.id, persistent: true, ip: shared }, config, at(-3600));
  // An attacker behind the same address spends the whole per-IP budget on other accounts.
  for (let i = 0; i < 25; i++) await attempt(`sprayed${i}@example.com`, shared, at(i));
  assert.equal((await attempt("another-sprayed@example.com", shared, at(30))).ok, false, "spraying new accounts stops");
  assert.deepEqual(await attempt("regular@example.com", shared, at(31)), { ok: true }, "the regular is not locked out");
  // …and is still held by their own per-account-and-IP budget.
  for (let i = 0; i < 4; i++) await attempt("regular@example.com", shared, at(32 + i));
  assert.equal((await attempt("regular@example.com", shared, at(40))).ok, false);
});

it("many places guessing one account hit the account limit, but the person's usual place still gets in", async () => {
  const created = await createUser(db, { email: "carol@example.com", password: "password123" }, config, t0);
  assert.ok(created.ok);
  await createSession(db, { userId: created.user.id, persistent: true, ip: "192.0.2.10" }, config, at(-24 * 3600));

  for (let i = 0; i < 50; i++) await attempt("carol@example.com", `203.0.113.${i}`, at(i));
  assert.equal((await attempt("carol@example.com", "203.0.113.200", at(60))).ok, false, "a new place is refused");
  assert.deepEqual(await attempt("carol@example.com", "192.0.2.10", at(60)), { ok: true }, "her usual place is not");
});

it("forty attempts racing from two instances: exactly the limit get through", async () => {
  const second = createDb(url(), { poolSize: 10 });
  try {
    const limit = { max: 5, windowSeconds: 60 };
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => takeAttempt(i % 2 ? second : db, "test:race", limit, at(0))),
    );
    assert.equal(results.filter((r) => r.ok).length, 5);
    assert.equal((await db.rateLimit.findUniqueOrThrow({ where: { key: "test:race" } })).count, 40);
    // The next window starts from nothing, and again only five get through.
    const later = await Promise.all(Array.from({ length: 40 }, (_, i) => takeAttempt(i % 2 ? second : db, "test:race", limit, at(61))));
    assert.equal(later.filter((r) => r.ok).length, 5);
  } finally {
    await second.$disconnect();
  }
});

it("sign-ups count per IP whether or not they succeed; password checks count per account", async () => {
  for (let i = 0; i < 3; i++) assert.equal((await takeSignUpAttempt(db, "198.51.100.9", config.limits, at(i))).ok, true);
  assert.equal((await takeSignUpAttempt(db, "198.51.100.9", config.limits, at(4))).ok, false);
  for (let i = 0; i < 5; i++) assert.equal((await takePasswordCheck(db, "user-1", config.limits, at(i))).ok, true);
  assert.equal((await takePasswordCheck(db, "user-1", config.limits, at(6))).ok, false);
  assert.equal((await takePasswordCheck(db, "user-2", config.limits, at(6))).ok, true, "another account has its own budget");
});

it("IPv6 clients are counted by their /64; IPv4 ones by their address", () => {
  assert.equal(limitPlace("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  assert.equal(limitPlace("2001:0db8:0001:0002:bbbb:cccc:dddd:eeee"), "2001:db8:1:2::/64");
  assert.equal(limitPlace("2001:db8::1"), "2001:db8:0:0::/64");
  assert.equal(limitPlace("fe80::1%eth0"), "fe80:0:0:0::/64");
  assert.notEqual(limitPlace("2001:db8:1:3::1"), limitPlace("2001:db8:1:2::1"));
  assert.equal(limitPlace("203.0.113.9"), "203.0.113.9");
  assert.equal(limitPlace(null), "unknown");
});

it("forty sign-in guesses from forty addresses of one /64 share one per-IP budget", async () => {
  const limits = { ...testConfig().limits, loginIp: { max: 5, windowSeconds: 600 }, loginAccountIp: { max: 100, windowSeconds: 600 }, loginAccount: { max: 100, windowSeconds: 600 } };
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => takeSignInAttempt(db, { email: `v6-${i}@example.com`, ip: `2001:db8:ab:cd::${(i + 1).toString(16)}` }, limits, new Date())));
  assert.equal(results.filter((r) => r.ok).length, 5);
});
