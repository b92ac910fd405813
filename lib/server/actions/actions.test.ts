// The account actions against a throw-away database at a frozen time: what each one decides,
// records and limits (SQLite, then PostgreSQL).
import assert from "node:assert/strict";
import { beforeEach, it } from "node:test";
import { BusyError } from "@/lib/server/faults";
import { hashPassword, passwordComparisons } from "@/lib/server/password";
import { createSessionIfPasswordUnchanged, getLiveSession } from "@/lib/server/store/sessions";
import { verifyUserPassword } from "@/lib/server/store/users";
import { testConfig } from "@/lib/testing/settings";
import { useTestDb } from "@/lib/testing/test-db";
import { changePassword } from "./change-password";
import { endSession } from "./account-sessions";
import { reauthenticate } from "./fresh-sign-in";
import { refreshTokens } from "./refresh";
import { signIn } from "./sign-in";
import { signOut, signOutEverywhere } from "./sign-out";
import { signUpThroughMail } from "@/lib/testing/sign-up";
import { startSignUp } from "./sign-up";
import { contextsFrom } from "@/lib/testing/action-context";

const config = testConfig({
  REFRESH_GRACE_SECONDS: "10",
  RATE_LIMIT_LOGIN_ACCOUNT_IP: "5/900",
  RATE_LIMIT_PASSWORD_ACCOUNT: "3/900",
  RATE_LIMIT_REGISTER_IP: "1000/3600",
});
const t0 = new Date("2026-11-28T12:00:00Z");
const db = useTestDb();
const ctx = contextsFrom(db, config, t0, { ip: "198.51.100.1", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/150.0" });
const PASSWORD = "correct horse battery";
let n = 0;
const email = () => `person${++n}-${Date.now()}@example.com`;
beforeEach(() => db.rateLimit.deleteMany());

async function signedUp(address = email()) {
  const result = await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, ctx());
  const refresh = result.tokens.cookies.find((c) => c.name.endsWith("kc_refresh"))!.value;
  const session = await db.session.findFirstOrThrow({ where: { userId: result.user.id }, orderBy: { createdAt: "desc" } });
  return { email: address, userId: result.user.id, sessionId: session.id, refresh };
}

it("forty wrong passwords sent at the same moment: at most the limit reach the password check, the rest are refused", async () => {
  const { email: address } = await signedUp();
  const comparedBefore = passwordComparisons();
  const results = await Promise.all(
    Array.from({ length: 40 }, () => signIn({ email: address, password: "wrong password", remember: true }, ctx(1))),
  );
  assert.equal(passwordComparisons() - comparedBefore, 5, "bcrypt comparisons made");
  assert.equal(results.filter((r) => !r.ok && r.code === "invalid_credentials").length, 5);
  assert.equal(results.filter((r) => !r.ok && r.code === "rate_limited").length, 35);
});

it("a right password is not charged: five sign-ins in a row from one place all work", async () => {
  const { email: address } = await signedUp();
  for (let i = 0; i < 7; i++) assert.equal((await signIn({ email: address, password: PASSWORD, remember: true }, ctx(i))).ok, true);
});

it("when the hashing queue is full, a sign-in is refused as busy rather than queued without end", async () => {
  const { email: address } = await signedUp();
  const tight = { ...config, bcryptMaxQueue: 2, limits: { ...config.limits, loginAccountIp: { max: 1000, windowSeconds: 900 } } };
  const results = await Promise.allSettled(
    Array.from({ length: 12 }, () => signIn({ email: address, password: PASSWORD, remember: true }, ctx(1, "198.51.100.1", tight))),
  );
  const busy = results.filter((r) => r.status === "rejected" && r.reason instanceof BusyError);
  assert.ok(busy.length > 0, "some were refused");
  assert.ok(results.some((r) => r.status === "fulfilled" && r.value.ok), "the queued ones were served");
});

it("signing in while this browser still holds a session ends that session on the server, once the new one is used", async () => {
  const first = await signedUp();
  const again = await signIn({ email: first.email, password: PASSWORD, remember: true, browser: { refreshToken: first.refresh } }, ctx(5));
  assert.ok(again.ok);
  assert.notEqual(await getLiveSession(db, first.sessionId, ctx(6).now), null, "not before the browser is known to have the new session");
  assert.ok((await refreshTokens(again.tokens.cookies.find((c) => c.name.endsWith("kc_refresh"))!.value, ctx(7))).ok);
  assert.equal(await getLiveSession(db, first.sessionId, ctx(8).now), null);
  const ended = await db.session.findUniqueOrThrow({ where: { id: first.sessionId } });
  assert.equal(ended.revokedReason, "signed_out");
});

it("signing out of the new session before its first refresh ends the one it replaced too", async () => {
  const held = await signedUp();
  const again = await signIn({ email: held.email, password: PASSWORD, remember: true, browser: { refreshToken: held.refresh } }, ctx(5));
  assert.ok(again.ok);
  await signOut({ refreshToken: again.tokens.cookies.find((c) => c.name.endsWith("kc_refresh"))!.value }, ctx(6));
  assert.equal(await getLiveSession(db, held.sessionId, ctx(7).now), null);
  assert.equal((await db.session.findUniqueOrThrow({ where: { id: held.sessionId } })).revokedReason, "signed_out");
});

it("signing in three times in one browser ends the first two sessions, not only the last one replaced", async () => {
  const a = await signedUp();
  const refreshOf = (r: { tokens: { cookies: { name: string; value: string }[] } }) => r.tokens.cookies.find((c) => c.name.endsWith("kc_refresh"))!.value;
  const b = await signIn({ email: a.email, password: PASSWORD, remember: true, browser: { refreshToken: a.refresh } }, ctx(5));
  assert.ok(b.ok);
  const c = await signIn({ email: a.email, password: PASSWORD, remember: true, browser: { refreshToken: refreshOf(b) } }, ctx(6));
  assert.ok(c.ok);
  assert.equal(await getLiveSession(db, a.sessionId, ctx(7).now), null, "B's token held at C's sign-in shows the browser had B: A ends");
  assert.ok((await refreshTokens(refreshOf(c), ctx(8))).ok);
  const live = await db.session.findMany({ where: { userId: a.userId, revokedAt: null } });
  assert.equal(live.length, 1, "only C is left");
});

it("a refresh token long rotated (a thief's copy) held at a sign-in ends nobody's session", async () => {
  const victim = await signedUp();
  const rotated = await refreshTokens(victim.refresh, ctx(1));
  assert.ok(rotated.ok);
  const thief = await signedUp();
  const again = await signIn({ email: thief.email, password: PASSWORD, remember: true, browser: { refreshToken: victim.refresh } }, ctx(60));
  assert.ok(again.ok);
  assert.ok((await refreshTokens(again.tokens.cookies.find((c) => c.name.endsWith("kc_refresh"))!.value, ctx(61))).ok);
  assert.notEqual(await getLiveSession(db, victim.sessionId, ctx(62).now), null, "the victim is still signed in");
});

it("a sign-in whose answer never reached the browser leaves the session the browser still holds working", async () => {
  const held = await signedUp();
  // Signed in again from this browser, but the answer was lost (the page navigated away): the
  // browser still has the old cookies, and the new session's token is never used.
  assert.ok((await signIn({ email: held.email, password: PASSWORD, remember: true, browser: { refreshToken: held.refresh } }, ctx(5))).ok);
  assert.ok((await refreshTokens(held.refresh, ctx(6))).ok, "the held session refreshes as before");
  assert.notEqual(await getLiveSession(db, held.sessionId, ctx(7).now), null);
});

it("a password hashed at a lower cost than configured is rehashed at sign-in", async () => {
  const { email: address, userId } = await signedUp();
  await db.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(PASSWORD, { bcryptCost: 4 }) } });
  const stronger = { ...config, bcryptCost: 5 };
  assert.ok((await signIn({ email: address, password: PASSWORD, remember: true }, ctx(1, "198.51.100.1", stronger))).ok);
  const { passwordHash } = await db.user.findUniqueOrThrow({ where: { id: userId } });
  assert.match(passwordHash ?? "", /^\$2[aby]\$05\$/);
  assert.ok((await signIn({ email: address, password: PASSWORD, remember: true }, ctx(2, "198.51.100.1", stronger))).ok);
});

it("a refresh token replayed after the grace window ends the session and is recorded with where it came from", async () => {
  const person = await signedUp();
  const rotated = await refreshTokens(person.refresh, ctx(1));
  assert.ok(rotated.ok);
  const replay = await refreshTokens(person.refresh, ctx(20, "203.0.113.9"));
  assert.deepEqual(replay, { ok: false, code: "reused" });
  const events = await db.securityEvent.findMany({ where: { userId: person.userId, type: "refresh_token_reused" } });
  assert.equal(events.length, 1);
  assert.equal(events[0].sessionId, person.sessionId);
  assert.equal(events[0].ip, "203.0.113.9");
});

it("a dead session's token cannot sign its owner out everywhere; a live one can", async () => {
  const stolen = await signedUp();
  await refreshTokens(stolen.refresh, ctx(1));
  await refreshTokens(stolen.refresh, ctx(20)); // caught: the session ends
  const owner = await signIn({ email: stolen.email, password: PASSWORD, remember: true }, ctx(30));
  assert.ok(owner.ok);

  assert.deepEqual(await signOutEverywhere({ refreshToken: stolen.refresh }, ctx(40)), { ok: false, code: "unauthenticated" });
  const ownerSession = await db.session.findFirstOrThrow({ where: { userId: stolen.userId, revokedAt: null } });
  assert.notEqual(await getLiveSession(db, ownerSession.id, ctx(41).now), null, "the owner's new session lives on");

  const ownerRefresh = owner.tokens.cookies.find((c) => c.name.endsWith("kc_refresh"))!.value;
  assert.deepEqual(await signOutEverywhere({ refreshToken: ownerRefresh }, ctx(50)), { ok: true });
  assert.equal(await getLiveSession(db, ownerSession.id, ctx(51).now), null);
});

it("guessing the current password from a signed-in session is limited per account, and each wrong guess is recorded", async () => {
  const person = await signedUp();
  const actor = { userId: person.userId, sessionId: person.sessionId };
  const guesses = await Promise.all(
    Array.from({ length: 10 }, () => changePassword(actor, { currentPassword: "a guess", newPassword: "new password 1" }, ctx(1))),
  );
  assert.equal(guesses.filter((g) => !g.ok && g.code === "wrong_password").length, 3);
  assert.equal(guesses.filter((g) => !g.ok && g.code === "rate_limited").length, 7);
  assert.equal(await db.securityEvent.count({ where: { userId: person.userId, type: "password_change_failed" } }), 3);
  // Even the right password waits out the window: the limit does not tell guesses from the owner.
  const owner = await changePassword(actor, { currentPassword: PASSWORD, newPassword: "new password 1" }, ctx(2));
  assert.equal(!owner.ok && owner.code, "rate_limited");
  // A window later the owner's checks count again; by then the sign-in is stale, so it is confirmed first.
  assert.deepEqual(await changePassword(actor, { currentPassword: PASSWORD, newPassword: "new password 1" }, ctx(901)), { ok: false, code: "reauthentication_required" });
  assert.deepEqual(await reauthenticate(actor, { password: PASSWORD }, ctx(902)), { ok: true });
  assert.ok((await changePassword(actor, { currentPassword: PASSWORD, newPassword: "new password 1" }, ctx(903))).ok);
});

it("a sign-in that checked the old password just before a change cannot create its session after the change", async () => {
  const person = await signedUp();
  // The sign-in has compared the password and holds the hash it matched…
  const checked = await verifyUserPassword(db, { email: person.email, password: PASSWORD }, config);
  assert.ok(checked);
  // …when the change commits and ends every other session.
  const changed = await changePassword({ userId: person.userId, sessionId: person.sessionId }, { currentPassword: PASSWORD, newPassword: "brand new password" }, ctx(1));
  assert.ok(changed.ok);
  // Its session would outlive the sweep: it is refused instead.
  const late = await createSessionIfPasswordUnchanged(db, { userId: person.userId, persistent: true, passwordHash: checked.passwordHash }, config, ctx(2).now);
  assert.equal(late, null);
  // The same path with the current hash works.
  const now = await verifyUserPassword(db, { email: person.email, password: "brand new password" }, config);
  assert.ok(now);
  assert.notEqual(await createSessionIfPasswordUnchanged(db, { userId: person.userId, persistent: true, passwordHash: now.passwordHash }, config, ctx(3).now), null);
});

it("forty sign-ups from one IP released together: exactly the limit get through", async () => {
  const tight = { ...config, limits: { ...config.limits, registerIp: { max: 3, windowSeconds: 3600 } } };
  const results = await Promise.all(
    Array.from({ length: 40 }, () => startSignUp({ email: email(), password: PASSWORD, remember: true }, ctx(1, "203.0.113.77", tight))),
  );
  assert.equal(results.filter((r) => r.ok).length, 3);
  assert.equal(results.filter((r) => !r.ok && r.code === "rate_limited").length, 37);
});

it("failed refreshes from one IP are limited (429, cookies kept by the route); honest refreshes are not counted", async () => {
  const tight = { ...config, limits: { ...config.limits, refreshIp: { max: 3, windowSeconds: 300 } } };
  const person = await signedUp();
  let token = person.refresh;
  for (let i = 0; i < 6; i++) {
    const honest = await refreshTokens(token, ctx(1 + i, "203.0.113.50", tight));
    assert.ok(honest.ok, "honest refreshes are never refused");
    token = honest.tokens.cookies.find((c) => c.name.endsWith("kc_refresh"))!.value;
  }
  const junk = await Promise.all(Array.from({ length: 10 }, () => refreshTokens("x".repeat(43), ctx(10, "203.0.113.50", tight))));
  assert.equal(junk.filter((r) => !r.ok && r.code === "invalid").length, 3);
  assert.equal(junk.filter((r) => !r.ok && r.code === "rate_limited").length, 7);
});


it("ending another device's session needs a fresh sign-in, like ending them all; ending this one does not", async () => {
  const person = await signedUp();
  const other = await signIn({ email: person.email, password: PASSWORD, remember: true }, ctx(1));
  assert.ok(other.ok);
  const otherId = (await db.session.findFirstOrThrow({ where: { userId: person.userId, id: { not: person.sessionId } } })).id;
  const actor = { userId: person.userId, sessionId: person.sessionId };
  assert.deepEqual(await endSession(actor, otherId, ctx(700)), { ok: false, code: "reauthentication_required" });
  assert.deepEqual(await endSession(actor, otherId, ctx(30)), { ok: true, wasCurrent: false });
  assert.deepEqual(await endSession(actor, person.sessionId, ctx(900)), { ok: true, wasCurrent: true });
});
