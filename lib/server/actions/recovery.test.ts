// Recovery that cannot be turned against the owner (docs/decisions/0010-recovery.md), against a
// real database at a frozen clock: undo links that nothing can cancel, resets that wait for the
// second factor, second-step limits that never lock the owner out, and the mail that says so.
import assert from "node:assert/strict";
import { it } from "node:test";
import { totpCodeAt } from "@/lib/server/totp";
import { useActionTests, cookieFrom } from "@/lib/testing/action-context";
import { codeMailedTo, signUpThroughMail } from "@/lib/testing/sign-up";
import { accountWithApp, passwordStep } from "@/lib/testing/two-factor";
import { testConfig } from "@/lib/testing/settings";
import { outboxOf } from "@/lib/testing/outbox";
import { finishEmailChange, requestEmailChange, undoEmailChange } from "./change-email";
import { changePassword } from "./change-password";
import { needsFreshSignIn, reauthenticate, withRenewedTokens } from "./fresh-sign-in";
import { signOut } from "./sign-out";
import { verifyAccessToken } from "@/lib/edge/access-token";
import { requestPasswordReset, resetPassword } from "./password-reset";
import { refreshTokens } from "./refresh";
import { signIn } from "./sign-in";
import { finishSignUp, startSignUp } from "./sign-up";
import { finishSignInWithSecondFactor, regenerateRecoveryCodes } from "./two-factor";
import { tellOwnersOfAbandonedSignIns } from "./unfinished-sign-ins";

const OWNER_IP = "198.51.100.7";
const { db, ctx, email, PASSWORD, config } = useActionTests({
  label: "recovery",
  client: { ip: OWNER_IP, userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" },
  config: testConfig({ APP_ORIGIN: "https://login.example.com", SECOND_FACTOR_MAX_FAILURES: "20" }),
});

const mailsTo = (to: string, kind: string) => outboxOf(db, config).mailsTo(to, kind);
const linkIn = (text: string, path: string) => {
  const link = text.match(/https?:\/\/\S+/g)?.find((l) => new URL(l).pathname === path);
  assert.ok(link, `no link to ${path} in:\n${text}`);
  return new URL(link).searchParams.get("token")!;
};
const undoLinkTo = async (to: string, nth = -1) => linkIn((await mailsTo(to, "email_changed")).at(nth)!.text, "/undo-email-change");
const userOf = (id: string) => db.user.findUniqueOrThrow({ where: { id } });
const wrongCode = (secret: string, seconds: number) => (totpCodeAt(secret, ctx(seconds).now) === "000000" ? "111111" : "000000");

/** Moves the account to `to` through its session (fresh at `seconds` < 600 after sign-up). */
async function moveTo(actor: { userId: string; sessionId: string }, to: string, seconds: number) {
  const started = await requestEmailChange(actor, { email: to }, ctx(seconds));
  assert.ok(started.ok, JSON.stringify(started));
  const done = await finishEmailChange(actor, { challengeId: started.challengeId, code: await codeMailedTo({ db, config }, to, "email_change_code") }, ctx(seconds));
  assert.ok(done.ok, JSON.stringify(done));
}

it("the review's attack fails: with the password and a session, two moves and the second undo neither cancel the owner's link nor strip the second factor", async () => {
  const owner = email();
  const { actor, secret } = await accountWithApp(ctx, { email: owner, password: PASSWORD });
  const a1 = `a1-${owner}`;
  const a2 = `a2-${owner}`;
  // 1–2. Whoever holds the session (fresh) moves the address to an address of theirs, twice.
  await moveTo(actor, a1, 10);
  await moveTo(actor, a2, 20);
  assert.equal((await mailsTo(owner, "email_changed_again")).length, 1, "the owner hears of the second change too");
  // 3. They use the undo link mailed to a1: it does what the oldest link says — the owner's address comes back.
  assert.deepEqual(await undoEmailChange({ token: await undoLinkTo(a1) }, ctx(30)), { ok: true, outcome: "restored" });
  assert.equal((await userOf(actor.userId)).email, owner);
  assert.equal(await db.totpFactor.count({ where: { userId: actor.userId } }), 1, "the app enrolled before the change stays");
  // The owner's own link still works (and does it again).
  assert.deepEqual(await undoEmailChange({ token: await undoLinkTo(owner) }, ctx(40)), { ok: true, outcome: "restored" });
  // 4. A reset through a1 sends nothing (no account has it); through the owner's address it ends in the second step.
  await requestPasswordReset({ email: a1 }, ctx(50));
  assert.equal((await mailsTo(a1, "password_reset")).length, 0);
  await requestPasswordReset({ email: owner }, ctx(50));
  const reset = await resetPassword({ token: linkIn((await mailsTo(owner, "password_reset")).at(-1)!.text, "/reset-password"), password: "someone else's passphrase" }, ctx(51));
  assert.equal(!reset.ok && reset.code, "second_factor_required", "never a session without the app's code");
  const stopped = await finishSignInWithSecondFactor({ pendingToken: (reset as { pendingToken: string }).pendingToken, code: wrongCode(secret, 52) }, ctx(52));
  assert.equal(!stopped.ok && stopped.code, "code_incorrect");
  assert.equal(await db.session.count({ where: { userId: actor.userId, revokedAt: null } }), 0);
});

it("an undo removes only what was added after the change it undoes (passkeys, app, recovery codes, providers), ends every session, and mails both addresses", async () => {
  const owner = email();
  const { actor, signedUp } = await accountWithApp(ctx, { email: owner, password: PASSWORD });
  await db.passkey.create({ data: { id: `mine-${owner}`, userId: actor.userId, publicKey: "x", counter: 0, deviceType: "singleDevice", backedUp: false, name: "the owner's", createdAt: ctx(-3 * 24 * 3600).now } });
  await moveTo(actor, `moved-${owner}`, 10);
  await db.passkey.create({ data: { id: `theirs-${owner}`, userId: actor.userId, publicKey: "x", counter: 0, deviceType: "singleDevice", backedUp: false, name: "theirs", createdAt: ctx(11).now } });
  assert.ok((await regenerateRecoveryCodes(actor, ctx(12))).ok, "their recovery codes");
  // A provider account of the owner's from before, and one of theirs connected since.
  await db.providerIdentity.create({ data: { id: `mine-${owner}`, userId: actor.userId, provider: "corp", subject: `mine-${owner}`, createdAt: ctx(-3 * 24 * 3600).now } });
  await db.providerIdentity.create({ data: { id: `theirs-${owner}`, userId: actor.userId, provider: "github", subject: `theirs-${owner}`, createdAt: ctx(13).now } });

  assert.deepEqual(await undoEmailChange({ token: await undoLinkTo(owner) }, ctx(20)), { ok: true, outcome: "restored" });
  assert.deepEqual((await db.passkey.findMany({ where: { userId: actor.userId } })).map((p) => p.name), ["the owner's"]);
  assert.equal(await db.totpFactor.count({ where: { userId: actor.userId } }), 1, "the app from before stays");
  assert.equal(await db.recoveryCode.count({ where: { userId: actor.userId } }), 0, "the codes made since go");
  assert.deepEqual((await db.providerIdentity.findMany({ where: { userId: actor.userId } })).map((i) => i.subject), [`mine-${owner}`], "their provider goes, the owner's stays");
  assert.equal((await refreshTokens(cookieFrom(signedUp, "kc_refresh"), ctx(21))).ok, false);
  assert.equal((await signIn({ email: owner, password: PASSWORD, remember: true }, ctx(22))).ok, false, "the password they knew stops working");
  assert.equal((await mailsTo(owner, "email_change_undone")).length, 1);
  assert.equal((await mailsTo(`moved-${owner}`, "email_moved_back")).length, 1);
  const activity = await db.securityEvent.findFirstOrThrow({ where: { userId: actor.userId, type: "email_change_undone" } });
  assert.match(activity.detail ?? "", /1 passkey/);
  assert.match(activity.detail ?? "", /1 connected provider/);
});

it("of a chain of undo links, the oldest leads: the owner's link voids the later ones, and theirs never voids the owner's", async () => {
  const owner = email();
  const person = await signUpThroughMail({ email: owner, password: PASSWORD, remember: true }, ctx());
  const actor = { userId: person.user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: person.user.id } })).id };
  await moveTo(actor, `b1-${owner}`, 10);
  await moveTo(actor, `b2-${owner}`, 20);
  const theirs = await undoLinkTo(`b1-${owner}`);
  assert.deepEqual(await undoEmailChange({ token: await undoLinkTo(owner) }, ctx(30)), { ok: true, outcome: "restored" });
  assert.deepEqual(await undoEmailChange({ token: theirs }, ctx(31)), { ok: false, code: "link_expired" });
  assert.equal((await userOf(actor.userId)).email, owner);
});

it("an undo link lives 24 hours", async () => {
  const owner = email();
  const person = await signUpThroughMail({ email: owner, password: PASSWORD, remember: true }, ctx());
  const actor = { userId: person.user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: person.user.id } })).id };
  await moveTo(actor, `late-${owner}`, 10);
  assert.deepEqual(await undoEmailChange({ token: await undoLinkTo(owner) }, ctx(10 + 24 * 3600 + 1)), { ok: false, code: "link_expired" });
});

it("when the address to put back belongs to another account now, nothing is stripped and the account is locked: no sign-in, no reset", async () => {
  const owner = email();
  const { actor } = await accountWithApp(ctx, { email: owner, password: PASSWORD });
  await moveTo(actor, `elsewhere-${owner}`, 10);
  // Someone proves the freed address for an account of their own.
  await signUpThroughMail({ email: owner, password: "another person's passphrase", remember: true }, ctx(20));
  assert.deepEqual(await undoEmailChange({ token: await undoLinkTo(owner) }, ctx(30)), { ok: true, outcome: "locked" });
  const locked = await userOf(actor.userId);
  assert.ok(locked.lockedAt);
  assert.equal(locked.email, `elsewhere-${owner}`);
  assert.equal(await db.totpFactor.count({ where: { userId: actor.userId } }), 1, "nothing stripped");
  assert.equal(await db.session.count({ where: { userId: actor.userId, revokedAt: null } }), 0);
  const signedIn = await signIn({ email: `elsewhere-${owner}`, password: PASSWORD, remember: true }, ctx(31));
  assert.equal(!signedIn.ok && signedIn.code, "account_locked");
  assert.match((signedIn as { message: string }).message, /support@example\.com|support/);
  await requestPasswordReset({ email: `elsewhere-${owner}` }, ctx(32));
  assert.equal((await mailsTo(`elsewhere-${owner}`, "password_reset")).length, 0, "no reset for a locked account");
  assert.equal((await mailsTo(`elsewhere-${owner}`, "account_locked")).length, 1);
  assert.equal((await mailsTo(owner, "account_locked")).length, 1);
});

it("moving the address or changing the password of a two-step account from a stale session needs the password and the app's code", async () => {
  const { address, actor, secret } = await accountWithApp(ctx, { email: email(), password: PASSWORD });
  assert.deepEqual(await requestEmailChange(actor, { email: `x-${address}` }, ctx(700)), { ok: false, code: "reauthentication_required" });
  assert.deepEqual(await changePassword(actor, { currentPassword: PASSWORD, newPassword: "a different passphrase" }, ctx(700)), { ok: false, code: "reauthentication_required" });
  assert.deepEqual(await reauthenticate(actor, { password: PASSWORD }, ctx(701)), { ok: false, code: "reauth_code_required" });
  assert.deepEqual(await reauthenticate(actor, { password: PASSWORD, code: totpCodeAt(secret, ctx(702).now) }, ctx(702)), { ok: true });
  assert.ok((await requestEmailChange(actor, { email: `x-${address}` }, ctx(703))).ok);
});

it("a reset on a two-step account changes nothing until the code is right: sessions live, the old password works; then it is applied", async () => {
  const { address, actor, secret, signedUp } = await accountWithApp(ctx, { email: email(), password: PASSWORD });
  await requestPasswordReset({ email: address }, ctx(100));
  const token = linkIn((await mailsTo(address, "password_reset")).at(-1)!.text, "/reset-password");
  const reset = await resetPassword({ token, password: "a fresh strong passphrase" }, ctx(101));
  assert.equal(!reset.ok && reset.code, "second_factor_required");
  assert.ok((await refreshTokens(cookieFrom(signedUp, "kc_refresh"), ctx(102))).ok, "nobody signed out yet");
  assert.equal((await mailsTo(address, "password_changed")).length, 0);
  const old = await signIn({ email: address, password: PASSWORD, remember: true }, ctx(103));
  assert.equal(!old.ok && old.code, "second_factor_required", "the old password still works");
  assert.deepEqual(await resetPassword({ token, password: "a fresh strong passphrase" }, ctx(104)), { ok: false, code: "link_expired" }, "the link was used");

  const done = await finishSignInWithSecondFactor({ pendingToken: (reset as { pendingToken: string }).pendingToken, code: totpCodeAt(secret, ctx(131).now) }, ctx(131));
  assert.ok(done.ok);
  assert.equal((await signIn({ email: address, password: PASSWORD, remember: true }, ctx(132))).ok, false, "the old password is gone");
  const fresh = await signIn({ email: address, password: "a fresh strong passphrase", remember: true }, ctx(133));
  assert.equal(!fresh.ok && fresh.code, "second_factor_required");
  assert.equal(await db.session.count({ where: { userId: actor.userId, revokedAt: null } }), 1, "only the new session");
  assert.equal((await mailsTo(address, "password_changed")).length, 1);
});

it("an address proved for the first time by a reset removes the passkeys, app, providers, sessions and browsers enrolled before it", async () => {
  const { address, actor } = await accountWithApp(ctx, { email: email(), password: PASSWORD });
  await db.passkey.create({ data: { id: `squat-${address}`, userId: actor.userId, publicKey: "x", counter: 0, deviceType: "singleDevice", backedUp: false, name: "squatter's", createdAt: ctx(3).now } });
  await db.providerIdentity.create({ data: { id: `squat-${address}`, userId: actor.userId, provider: "github", subject: `squat-${address}`, createdAt: ctx(3).now } });
  await db.user.update({ where: { id: actor.userId }, data: { emailVerifiedAt: null } }); // an account from before addresses were proved
  await requestPasswordReset({ email: address }, ctx(10));
  const reset = await resetPassword({ token: linkIn((await mailsTo(address, "password_reset")).at(-1)!.text, "/reset-password"), password: "the real owner's passphrase" }, ctx(11));
  assert.ok(reset.ok, "no second step: the app may be whoever made the account's");
  assert.equal(await db.passkey.count({ where: { userId: actor.userId } }), 0);
  assert.equal(await db.totpFactor.count({ where: { userId: actor.userId } }), 0);
  assert.equal(await db.recoveryCode.count({ where: { userId: actor.userId } }), 0);
  assert.equal(await db.providerIdentity.count({ where: { userId: actor.userId } }), 0, "the squatter's provider account too");
  assert.equal(await db.session.count({ where: { userId: actor.userId, revokedAt: null } }), 1, "only the session just made");
  assert.deepEqual((await db.knownDevice.findMany({ where: { userId: actor.userId } })).map((d) => d.firstSeenAt.getTime()), [ctx(11).now.getTime()]);
  assert.ok((await userOf(actor.userId)).emailVerifiedAt);
});

it("wrong codes from elsewhere never lock the owner out: strangers share a budget, the owner's place keeps its own", async () => {
  const { address, secret } = await accountWithApp(ctx, { email: email(), password: PASSWORD });
  await db.rateLimit.deleteMany();
  const results = [];
  for (const [i, ip] of ["203.0.113.1", "203.0.113.2", "203.0.113.3"].entries()) {
    for (let pending = 0; pending < 2; pending++) {
      const token = await passwordStep(ctx(60 + i, ip), { email: address, password: PASSWORD });
      for (let j = 0; j < 5; j++) results.push(await finishSignInWithSecondFactor({ pendingToken: token, code: wrongCode(secret, 60 + i) }, ctx(60 + i, ip)));
    }
  }
  const compared = results.filter((r) => !r.ok && r.code === "code_incorrect").length;
  assert.equal(compared, 10, "five per place, ten per account from places it does not know");
  assert.equal(results.filter((r) => !r.ok && r.code === "rate_limited").length, 20);
  // The owner, where they signed up, is not charged to that budget.
  const token = await passwordStep(ctx(70), { email: address, password: PASSWORD });
  assert.ok((await finishSignInWithSecondFactor({ pendingToken: token, code: totpCodeAt(secret, ctx(70).now) }, ctx(70))).ok);
});

it("a right code gives its try back; at the ceiling of wrong codes in a row the password stops working and the owner gets a link", async () => {
  const { address, secret, actor } = await accountWithApp(ctx, { email: email(), password: PASSWORD });
  // Four wrong from the owner's place, then the right one: the run starts again.
  const token = await passwordStep(ctx(60), { email: address, password: PASSWORD });
  for (let j = 0; j < 4; j++) await finishSignInWithSecondFactor({ pendingToken: token, code: wrongCode(secret, 60) }, ctx(60));
  assert.equal((await userOf(actor.userId)).secondFactorFailures, 4);
  assert.ok((await finishSignInWithSecondFactor({ pendingToken: token, code: totpCodeAt(secret, ctx(61).now) }, ctx(61))).ok);
  assert.equal((await userOf(actor.userId)).secondFactorFailures, 0);
  // Twenty in a row (this test's ceiling), from four places, within every limit (one every 400 s).
  for (let i = 0; i < 20; i++) {
    const at = 1000 + i * 400;
    const ip = `203.0.113.${10 + (i % 4)}`;
    const pending = await passwordStep(ctx(at, ip), { email: address, password: PASSWORD });
    const r = await finishSignInWithSecondFactor({ pendingToken: pending, code: wrongCode(secret, at) }, ctx(at, ip));
    assert.equal(!r.ok && r.code, "code_incorrect", `try ${i}`);
  }
  const stopped = await signIn({ email: address, password: PASSWORD, remember: true }, ctx(9100));
  assert.equal(!stopped.ok && stopped.code, "invalid_credentials", "the password they know no longer works");
  const mail = (await mailsTo(address, "password_stopped")).at(-1);
  assert.ok(mail, "the owner is told, with a link");
  const reset = await resetPassword({ token: linkIn(mail.text, "/reset-password"), password: "the owner's next passphrase" }, ctx(9101));
  assert.equal(!reset.ok && reset.code, "second_factor_required", "and that reset asks for the app too");
  assert.ok(await db.securityEvent.findFirst({ where: { userId: actor.userId, type: "password_stopped" } }));
});

it("a right password that meets wrong codes, or none, is mailed to the owner at most once every six hours; not when the owner then gets in", async () => {
  const { address, secret } = await accountWithApp(ctx, { email: email(), password: PASSWORD });
  // The owner mistypes, then gets in: nothing to tell.
  const mine = await passwordStep(ctx(60), { email: address, password: PASSWORD });
  await finishSignInWithSecondFactor({ pendingToken: mine, code: wrongCode(secret, 60) }, ctx(60));
  assert.ok((await finishSignInWithSecondFactor({ pendingToken: mine, code: totpCodeAt(secret, ctx(61).now) }, ctx(61))).ok);
  // Someone elsewhere runs out of tries: told at once.
  const theirs = await passwordStep(ctx(100, "203.0.113.50"), { email: address, password: PASSWORD });
  for (let j = 0; j < 5; j++) await finishSignInWithSecondFactor({ pendingToken: theirs, code: wrongCode(secret, 100) }, ctx(100, "203.0.113.50"));
  assert.equal((await mailsTo(address, "password_known")).length, 1);
  assert.match((await mailsTo(address, "password_known"))[0].text, /203\.0\.113\.50/);
  // Someone enters the password and no code; the sweep after it expires would tell, but six hours have not passed.
  await passwordStep(ctx(200, "203.0.113.51"), { email: address, password: PASSWORD });
  await tellOwnersOfAbandonedSignIns(db, config, ctx(600).now);
  assert.equal((await mailsTo(address, "password_known")).length, 1);
  // Later, the same again: told, once however often the sweep runs.
  await passwordStep(ctx(7 * 3600, "203.0.113.52"), { email: address, password: PASSWORD });
  await tellOwnersOfAbandonedSignIns(db, config, ctx(7 * 3600 + 400).now);
  await tellOwnersOfAbandonedSignIns(db, config, ctx(7 * 3600 + 500).now);
  const told = await mailsTo(address, "password_known");
  assert.equal(told.length, 2);
  assert.match(told[1].text, /203\.0\.113\.52/);
});

it("every change to how the account is protected is mailed: two-step sign-in on, new recovery codes, a recovery code used (with how many are left)", async () => {
  const { address, actor, recoveryCodes } = await accountWithApp(ctx, { email: email(), password: PASSWORD });
  assert.equal((await mailsTo(address, "two_factor_enabled")).length, 1);
  const token = await passwordStep(ctx(60, "203.0.113.60"), { email: address, password: PASSWORD });
  const used = await finishSignInWithSecondFactor({ pendingToken: token, code: recoveryCodes[0] }, ctx(60, "203.0.113.60"));
  assert.ok(used.ok);
  const told = await mailsTo(address, "recovery_code_used");
  assert.equal(told.length, 1);
  assert.match(told[0].text, /9 are left/);
  assert.ok((await regenerateRecoveryCodes(actor, ctx(70))).ok);
  assert.equal((await mailsTo(address, "recovery_codes_regenerated")).length, 1);
});

it("recovery codes carry at least 64 bits; codes made before (50 bits) keep working until new ones are made", async () => {
  const { address, actor, recoveryCodes } = await accountWithApp(ctx, { email: email(), password: PASSWORD });
  assert.match(recoveryCodes[0], /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  assert.ok(recoveryCodes[0].replace(/-/g, "").length * Math.log2(31) >= 64);
  // An old-shaped code, stored as the earlier version stored it.
  const { hashRecoveryCode } = await import("@/lib/server/totp");
  await db.recoveryCode.create({ data: { id: `old-${address}`, userId: actor.userId, codeHash: hashRecoveryCode(actor.userId, "abcde23456", config.refreshTokenKey), createdAt: ctx().now } });
  const token = await passwordStep(ctx(60), { email: address, password: PASSWORD });
  assert.ok((await finishSignInWithSecondFactor({ pendingToken: token, code: "abcde-23456" }, ctx(60))).ok);
});

it("mailed codes: besides five tries per code, an address has a ceiling of wrong tries a day across all its codes", async () => {
  const address = email();
  const results = [];
  for (let round = 0; round < 5; round++) {
    // A new sign-up (a new code) a minute apart, each code tried five times, wrong.
    const signUp = await startSignUp({ email: address, password: PASSWORD, remember: true }, ctx(round * 61));
    assert.ok(signUp.ok);
    const right = await codeMailedTo({ db, config }, address);
    for (let j = 0; j < 5; j++) results.push(await finishSignUp({ challengeId: signUp.challengeId, code: right === "000000" ? "000001" : "000000" }, ctx(round * 61 + 1)));
  }
  assert.equal(results.filter((r) => !r.ok && r.code === "code_incorrect").length, 20, "twenty a day");
  assert.equal(results.filter((r) => !r.ok && r.code === "rate_limited").length, 5);
});

it("a sign-out with a refresh token rotated long ago is a reuse: the session ends for reuse, is recorded, and its owner is mailed", async () => {
  const address = email();
  const person = await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, ctx());
  const copied = cookieFrom(person, "kc_refresh");
  const renewed = await refreshTokens(copied, ctx(1));
  assert.ok(renewed.ok);
  await signOut({ refreshToken: copied }, ctx(60));
  const session = await db.session.findFirstOrThrow({ where: { userId: person.user.id } });
  assert.equal(session.revokedReason, "refresh_token_reused");
  assert.equal((await mailsTo(address, "refresh_token_reused")).length, 1);
  assert.ok(await db.securityEvent.findFirst({ where: { userId: person.user.id, type: "refresh_token_reused" } }));
  assert.equal(await db.securityEvent.count({ where: { userId: person.user.id, type: "signed_out" } }), 0, "not a quiet sign-out");
});

it("confirming it's you renews the tokens: the old access token does not share the fresh window, the old refresh token is consumed", async () => {
  const person = await signUpThroughMail({ email: email(), password: PASSWORD, remember: true }, ctx());
  const session = await db.session.findFirstOrThrow({ where: { userId: person.user.id } });
  const oldAccess = await verifyAccessToken(cookieFrom(person, "kc_access"), config, ctx(1).now);
  assert.ok(oldAccess.ok);
  const copiedActor = { userId: person.user.id, sessionId: session.id, authenticatedAt: oldAccess.claims.authenticatedAt };
  const oldRefresh = cookieFrom(person, "kc_refresh");

  assert.deepEqual(await withRenewedTokens(copiedActor, undefined, ctx(700), () => reauthenticate(copiedActor, { password: PASSWORD }, ctx(700))), { ok: false, code: "unauthenticated" }, "no refresh token, no renewal, and no password spent");
  const confirmed = await withRenewedTokens(copiedActor, oldRefresh, ctx(700), () => reauthenticate(copiedActor, { password: PASSWORD }, ctx(700)));
  assert.ok(confirmed.ok);
  const newAccess = await verifyAccessToken(cookieFrom(confirmed, "kc_access"), config, ctx(701).now);
  assert.ok(newAccess.ok);
  assert.equal(await needsFreshSignIn({ ...copiedActor, authenticatedAt: newAccess.claims.authenticatedAt }, ctx(701)), null, "the new tokens are fresh");
  assert.deepEqual(await needsFreshSignIn(copiedActor, ctx(701)), { ok: false, code: "reauthentication_required" }, "the copied access token is not");
  const inGrace = await refreshTokens(oldRefresh, ctx(705));
  assert.ok(inGrace.ok && cookieFrom(inGrace, "kc_refresh") === cookieFrom(confirmed, "kc_refresh"), "a tab holding the old token gets the same successor");
  assert.equal(!(await refreshTokens(oldRefresh, ctx(760))).ok, true, "after the grace window, a reuse");
});

it("a sign-up's password is scored only once the sign-up limit is taken: a spent limit answers 429 before any scoring", async () => {
  const ip = "203.0.113.77";
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => startSignUp({ email: `weak${i}-${email()}`, password: "password", remember: true }, ctx(0, ip))));
  assert.equal(results.filter((r) => !r.ok && r.code === "password_too_weak").length, 10, "the per-IP limit (10 an hour) bounds the scoring");
  assert.equal(results.filter((r) => !r.ok && r.code === "rate_limited").length, 30);
});

it("a way in added less than a day ago keeps the address from moving: a session cannot add its own passkey and then move the account", async () => {
  const owner = email();
  const person = await signUpThroughMail({ email: owner, password: PASSWORD, remember: true }, ctx());
  const actor = { userId: person.user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: person.user.id } })).id };
  await db.passkey.create({ data: { id: `theirs-first-${owner}`, userId: actor.userId, publicKey: "x", counter: 0, deviceType: "singleDevice", backedUp: false, name: "theirs", createdAt: ctx(5).now } });
  const refused = await requestEmailChange(actor, { email: `away-${owner}` }, ctx(10));
  assert.equal(!refused.ok && refused.code, "email_change_too_soon");
  assert.equal((refused as { retryAfterSeconds: number }).retryAfterSeconds, 24 * 3600 - 5);
  // A day on (and a fresh sign-in), the owner has had the "passkey added" mail; the move can go ahead.
  assert.deepEqual(await reauthenticate(actor, { password: PASSWORD }, ctx(24 * 3600 + 6)), { ok: true });
  assert.ok((await requestEmailChange(actor, { email: `away-${owner}` }, ctx(24 * 3600 + 7))).ok);
});

it("the same right code sent twice at once signs in once and is not counted as a wrong one; an unreadable app key is not either", async () => {
  const { address, secret, actor } = await accountWithApp(ctx, { email: email(), password: PASSWORD });
  const token = await passwordStep(ctx(60), { email: address, password: PASSWORD });
  const other = await passwordStep(ctx(60), { email: address, password: PASSWORD });
  const code = totpCodeAt(secret, ctx(61).now);
  const both = await Promise.all([finishSignInWithSecondFactor({ pendingToken: token, code }, ctx(61)), finishSignInWithSecondFactor({ pendingToken: other, code }, ctx(61))]);
  assert.equal(both.filter((r) => r.ok).length, 1);
  assert.equal((await userOf(actor.userId)).secondFactorFailures, 0);
  // The app's key sealed with a key the server no longer has: right codes fail, but never switch the password off.
  await db.totpFactor.update({ where: { userId: actor.userId }, data: { secret: "v2.gone0000.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA" } });
  const stuck = await passwordStep(ctx(200), { email: address, password: PASSWORD });
  for (let i = 0; i < 5; i++) await finishSignInWithSecondFactor({ pendingToken: stuck, code: totpCodeAt(secret, ctx(200).now) }, ctx(200));
  assert.equal((await userOf(actor.userId)).secondFactorFailures, 0);
});
