import assert from "node:assert/strict";
import { beforeEach, it } from "node:test";
import { useTestDb } from "@/lib/testing/test-db";
import { testConfig } from "@/lib/testing/settings";
import { checkLimit, countAttempt } from "./rate-limit";
import { createSession } from "./session-store";
import { checkSignInAllowed, recordFailedSignIn, recordSuccessfulSignIn } from "./sign-in-limits";
import { createUser } from "./users";

const config = testConfig({
  RATE_LIMIT_LOGIN_ACCOUNT_IP: "5/900",
  RATE_LIMIT_LOGIN_IP: "20/900",
  RATE_LIMIT_LOGIN_ACCOUNT: "50/3600",
});
const t0 = new Date("2026-11-28T12:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const db = useTestDb();
beforeEach(() => db.rateLimit.deleteMany());

const fail = (email: string, ip: string, when: Date) => recordFailedSignIn(db, { email, ip }, config.limits, when);
const allowed = (email: string, ip: string, when: Date) => checkSignInAllowed(db, { email, ip }, config.limits, when);

it("five wrong passwords from one place: the sixth attempt waits out the window, then may try again", async () => {
  for (let i = 0; i < 5; i++) {
    assert.deepEqual(await allowed("ada@example.com", "198.51.100.1", at(i)), { ok: true });
    await fail("ada@example.com", "198.51.100.1", at(i));
  }
  assert.deepEqual(await allowed("ada@example.com", "198.51.100.1", at(10)), { ok: false, retryAfterSeconds: 890 });
  assert.deepEqual(await allowed("ada@example.com", "198.51.100.1", at(900)), { ok: true });
});

it("a right password clears that place's failures", async () => {
  for (let i = 0; i < 4; i++) await fail("bob@example.com", "198.51.100.2", at(i));
  await recordSuccessfulSignIn(db, { email: "bob@example.com", ip: "198.51.100.2" });
  for (let i = 0; i < 4; i++) await fail("bob@example.com", "198.51.100.2", at(10 + i));
  assert.deepEqual(await allowed("bob@example.com", "198.51.100.2", at(20)), { ok: true });
});

it("one IP guessing across many accounts is stopped by the per-IP limit", async () => {
  for (let i = 0; i < 20; i++) await fail(`victim${i}@example.com`, "203.0.113.66", at(i));
  const state = await allowed("someone-new@example.com", "203.0.113.66", at(30));
  assert.equal(state.ok, false);
});

it("many places guessing one account hit the account limit, but the person's usual place still gets in", async () => {
  const created = await createUser(db, { email: "carol@example.com", password: "password123" }, config, t0);
  assert.ok(created.ok);
  await createSession(db, { userId: created.user.id, persistent: true, ip: "192.0.2.10" }, config, at(-24 * 3600));

  for (let i = 0; i < 50; i++) await fail("carol@example.com", `203.0.113.${i}`, at(i));
  assert.equal((await allowed("carol@example.com", "203.0.113.200", at(60))).ok, false, "a new place is refused");
  assert.deepEqual(await allowed("carol@example.com", "192.0.2.10", at(60)), { ok: true }, "her usual place is not");
});

it("concurrent attempts all count, whichever instance makes them", async () => {
  const limit = { max: 100, windowSeconds: 60 };
  await Promise.all(Array.from({ length: 25 }, () => countAttempt(db, "test:concurrent", limit, at(0))));
  assert.equal((await db.rateLimit.findUniqueOrThrow({ where: { key: "test:concurrent" } })).count, 25);
  assert.deepEqual(await checkLimit(db, "test:concurrent", { max: 25, windowSeconds: 60 }, at(1)), { ok: false, retryAfterSeconds: 59 });
  await countAttempt(db, "test:concurrent", limit, at(61));
  assert.equal((await db.rateLimit.findUniqueOrThrow({ where: { key: "test:concurrent" } })).count, 1, "a new window starts at one");
});
