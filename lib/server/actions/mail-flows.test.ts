// The account actions that mail: sign-up by code, password reset by link, email change and its
// undo, and the notifications. Against a real database; mail read back from the outbox.
import assert from "node:assert/strict";
import { it } from "node:test";
import { passwordComparisons } from "@/lib/server/password";
import { testConfig } from "@/lib/testing/settings";
import { codeMailedTo, signUpThroughMail } from "@/lib/testing/sign-up";
import { finishEmailChange, requestEmailChange, undoEmailChange } from "./change-email";
import { requestPasswordReset, resetLinkAddress, resetPassword } from "./password-reset";
import { refreshTokens } from "./refresh";
import { signIn } from "./sign-in";
import { finishSignUp, resendSignUpCode, startSignUp } from "./sign-up";
import { cookieFrom, useActionTests } from "@/lib/testing/action-context";
import { outboxOf } from "@/lib/testing/outbox";

const { db, ctx, email, PASSWORD, config } = useActionTests({ label: "person", client: { ip: "198.51.100.1", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/150.0" }, config: testConfig({ APP_ORIGIN: "https://login.example.com" }) });

const mailsTo = (to: string) => outboxOf(db, config).mailsTo(to);
const newestMail = (to: string, kind: string) => outboxOf(db, config).newestMail(to, kind);
const linkIn = (text: string, path: string) => {
  const link = text.match(/https?:\/\/\S+/g)?.find((l) => new URL(l).pathname === path);
  assert.ok(link, `no link to ${path} in:\n${text}`);
  return new URL(link);
};
const refreshOf = (r: Parameters<typeof cookieFrom>[0]) => cookieFrom(r, "kc_refresh");
const deviceOf = (r: Parameters<typeof cookieFrom>[0]) => cookieFrom(r, "kc_device");

it("asking to sign up answers the same for a new address and one that has an account; only the mails differ", async () => {
  const taken = email();
  await signUpThroughMail({ email: taken, password: PASSWORD, remember: true }, ctx());
  const fresh = email();
  const forNew = await startSignUp({ email: fresh, password: PASSWORD, remember: true }, ctx(1));
  const forTaken = await startSignUp({ email: taken, password: "another password", remember: true }, ctx(1));
  assert.deepEqual(Object.keys(forNew).sort(), Object.keys(forTaken).sort());
  assert.ok(forNew.ok && forTaken.ok);

  const [code] = await mailsTo(fresh);
  assert.equal(code.kind, "sign_up_code");
  const told = await newestMail(taken, "sign_up_existing");
  assert.doesNotMatch(told.text, /\b\d{6}\b/, "no code to the address that has an account");
  // Every code for the taken address fails; the account and its password are untouched.
  for (const guess of ["000000", "123456"]) {
    const r = await finishSignUp({ challengeId: forTaken.challengeId, code: guess }, ctx(2));
    assert.equal(r.ok, false);
  }
  assert.ok((await signIn({ email: taken, password: PASSWORD, remember: true }, ctx(3))).ok);
});

it("the right code creates the account, verified, and signs in; the same code cannot be used twice", async () => {
  const address = email();
  const started = await startSignUp({ email: address, password: PASSWORD, remember: false }, ctx());
  assert.ok(started.ok);
  const code = await codeMailedTo({ db, config }, address);
  const done = await finishSignUp({ challengeId: started.challengeId, code }, ctx(60));
  assert.ok(done.ok);
  const user = await db.user.findUniqueOrThrow({ where: { email: address } });
  assert.ok(user.emailVerifiedAt);
  const session = await db.session.findFirstOrThrow({ where: { userId: user.id } });
  assert.equal(session.persistent, false, "“keep me signed in” carried through");
  assert.deepEqual(await finishSignUp({ challengeId: started.challengeId, code }, ctx(61)), { ok: false, code: "code_expired" });
});

it("forty guesses at one code sent together: five are compared, then even the right code is refused", async () => {
  const address = email();
  const started = await startSignUp({ email: address, password: PASSWORD, remember: true }, ctx());
  assert.ok(started.ok);
  const right = await codeMailedTo({ db, config }, address);
  const wrong = right === "000000" ? "000001" : "000000";
  // The address's daily ceiling across codes is raised here: this is about one code's own tries.
  const roomy = testConfig({ APP_ORIGIN: "https://login.example.com", RATE_LIMIT_MAIL_CODE_ADDRESS: "100/86400" });
  const results = await Promise.all(Array.from({ length: 40 }, () => finishSignUp({ challengeId: started.challengeId, code: wrong }, ctx(1, undefined, roomy))));
  assert.equal(results.filter((r) => !r.ok && r.code === "code_incorrect").length, 5);
  assert.equal(results.filter((r) => !r.ok && r.code === "code_expired").length, 35);
  assert.deepEqual(await finishSignUp({ challengeId: started.challengeId, code: right }, ctx(2, undefined, roomy)), { ok: false, code: "code_expired" });
  assert.equal(await db.user.count({ where: { email: address } }), 0);
});

it("a code expires after 15 minutes; a resend waits a minute, replaces the code, and forty at once mail once", async () => {
  const address = email();
  const started = await startSignUp({ email: address, password: PASSWORD, remember: true }, ctx());
  assert.ok(started.ok);
  const first = await codeMailedTo({ db, config }, address);
  const early = await resendSignUpCode({ challengeId: started.challengeId }, ctx(30));
  assert.deepEqual(early, { ok: false, code: "rate_limited", retryAfterSeconds: 30 });
  const resends = await Promise.all(Array.from({ length: 40 }, () => resendSignUpCode({ challengeId: started.challengeId }, ctx(61))));
  assert.equal(resends.filter((r) => r.ok).length, 1);
  assert.equal((await mailsTo(address)).length, 2);
  const second = await codeMailedTo({ db, config }, address);
  if (first !== second) assert.equal((await finishSignUp({ challengeId: started.challengeId, code: first }, ctx(62))).ok, false, "the old code no longer works");
  assert.deepEqual(await finishSignUp({ challengeId: started.challengeId, code: second }, ctx(61 + 15 * 60)), { ok: false, code: "code_expired" });
});

it("mail a stranger can cause is limited per address: forty reset requests for one address at once queue five mails", async () => {
  const address = email();
  await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, ctx());
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => requestPasswordReset({ email: address }, ctx(1, `203.0.113.${i + 1}`))));
  assert.equal(results.filter((r) => r.ok).length, 5);
  assert.equal((await mailsTo(address)).filter((m) => m.kind === "password_reset").length, 5);
});

it("a reset link works once: forty submissions at once, one new password, every session ended, the owner told", async () => {
  const address = email();
  const person = await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, ctx());
  assert.deepEqual(await requestPasswordReset({ email: "nobody-" + address }, ctx(1)), { ok: true });
  assert.equal((await mailsTo("nobody-" + address)).length, 0, "no mail for an address without an account");
  assert.ok((await requestPasswordReset({ email: address }, ctx(1))).ok);
  const link = linkIn((await newestMail(address, "password_reset")).text, "/reset-password");
  assert.equal(link.origin, "https://login.example.com", "built from APP_ORIGIN");
  const token = link.searchParams.get("token")!;

  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => resetPassword({ token, password: `new password ${i}` }, ctx(2))));
  const winners = results.filter((r) => r.ok);
  assert.equal(winners.length, 1);
  assert.equal(results.filter((r) => !r.ok && r.code === "link_expired").length, 39);
  assert.equal((await refreshTokens(refreshOf(person), ctx(3))).ok, false, "the session from before is ended");
  const changed = (await mailsTo(address)).filter((m) => m.kind === "password_changed");
  assert.equal(changed.length, 1);
  assert.equal((await signIn({ email: address, password: PASSWORD, remember: true }, ctx(4))).ok, false, "the old password is gone");
  assert.deepEqual(await resetPassword({ token, password: "yet another password" }, ctx(5)), { ok: false, code: "link_expired" });
});

it("sign-ups spent on a victim's address leave its owner able to ask for a reset link", async () => {
  const address = email();
  await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, ctx());
  await db.rateLimit.deleteMany();
  for (let i = 0; i < 8; i++) await startSignUp({ email: address, password: PASSWORD, remember: true }, ctx(1, `203.0.113.${100 + i}`));
  assert.deepEqual(await requestPasswordReset({ email: address }, ctx(2)), { ok: true });
  assert.equal((await mailsTo(address)).filter((m) => m.kind === "password_reset").length, 1);
});

it("a reset link expires after 30 minutes", async () => {
  const address = email();
  await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, ctx());
  await requestPasswordReset({ email: address }, ctx());
  const token = linkIn((await newestMail(address, "password_reset")).text, "/reset-password").searchParams.get("token")!;
  assert.deepEqual(await resetPassword({ token, password: "a new password" }, ctx(30 * 60 + 1)), { ok: false, code: "link_expired" });
});

it("changing the address: a fresh sign-in, the new address proved, the old one told with a link that takes the account back", async () => {
  const oldAddress = email();
  const person = await signUpThroughMail({ email: oldAddress, password: PASSWORD, remember: true }, ctx());
  const session = await db.session.findFirstOrThrow({ where: { userId: person.user.id } });
  const actor = { userId: person.user.id, sessionId: session.id };
  const newAddress = email();
  // A reset link mailed to the address before the change.
  await requestPasswordReset({ email: oldAddress }, ctx(1));
  const before = linkIn((await newestMail(oldAddress, "password_reset")).text, "/reset-password").searchParams.get("token")!;
  assert.equal(await resetLinkAddress(before, ctx(1)), oldAddress, "its page names the account");

  assert.deepEqual(await requestEmailChange(actor, { email: newAddress }, ctx(601)), { ok: false, code: "reauthentication_required" }, "a borrowed laptop cannot move the account");
  const started = await requestEmailChange(actor, { email: newAddress }, ctx(2));
  assert.ok(started.ok);
  const code = await codeMailedTo({ db, config }, newAddress, "email_change_code");
  assert.deepEqual(await finishEmailChange(actor, { challengeId: started.challengeId, code }, ctx(3)), { ok: true, email: newAddress });
  assert.equal((await db.user.findUniqueOrThrow({ where: { id: actor.userId } })).email, newAddress);
  assert.equal(await resetLinkAddress(before, ctx(3)), null, "the link's page shows it spent, naming nobody");
  assert.deepEqual(await resetPassword({ token: before, password: "from the old mailbox" }, ctx(3)), { ok: false, code: "link_expired" });

  // Whoever changed it asks for a reset link at the new address; the owner takes the account back.
  await requestPasswordReset({ email: newAddress }, ctx(4));
  const resetToken = linkIn((await newestMail(newAddress, "password_reset")).text, "/reset-password").searchParams.get("token")!;
  const told = (await mailsTo(oldAddress)).find((m) => m.kind === "email_changed");
  assert.ok(told, "the old address is told");
  assert.match(told.text, /works for 24 hours/);
  const undo = linkIn(told.text, "/undo-email-change").searchParams.get("token")!;
  assert.deepEqual(await undoEmailChange({ token: undo }, ctx(5)), { ok: true, outcome: "restored" });
  assert.equal((await db.user.findUniqueOrThrow({ where: { id: actor.userId } })).email, oldAddress);
  assert.equal((await refreshTokens(refreshOf(person), ctx(6))).ok, false, "every session ended");
  assert.deepEqual(await resetPassword({ token: resetToken, password: "taken over by someone" }, ctx(7)), { ok: false, code: "link_expired" }, "the reset link sent to the other address no longer works");
  assert.deepEqual(await undoEmailChange({ token: undo }, ctx(8)), { ok: false, code: "link_expired" });
  // Both addresses are told; the restored one gets its way back in, a link to choose a password.
  assert.ok((await mailsTo(newAddress)).some((m) => m.kind === "email_moved_back"));
  const back = await newestMail(oldAddress, "email_change_undone");
  const choose = linkIn(back.text, "/reset-password").searchParams.get("token")!;
  assert.ok((await resetPassword({ token: choose, password: "the owner's own passphrase" }, ctx(9))).ok);
});

it("a code for someone else's email change is refused, and cannot be spent by them either", async () => {
  const a = await signUpThroughMail({ email: email(), password: PASSWORD, remember: true }, ctx());
  const b = await signUpThroughMail({ email: email(), password: PASSWORD, remember: true }, ctx());
  const actor = async (p: typeof a) => ({ userId: p.user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: p.user.id } })).id });
  const target = email();
  const started = await requestEmailChange(await actor(a), { email: target }, ctx(1));
  assert.ok(started.ok);
  const code = await codeMailedTo({ db, config }, target, "email_change_code");
  assert.deepEqual(await finishEmailChange(await actor(b), { challengeId: started.challengeId, code }, ctx(2)), { ok: false, code: "code_expired" });
  assert.ok((await finishEmailChange(await actor(a), { challengeId: started.challengeId, code }, ctx(3))).ok);
});

it("a sign-in from a browser the account has not seen mails its owner; from a known one it does not", async () => {
  const address = email();
  const person = await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, ctx());
  assert.equal((await mailsTo(address)).filter((m) => m.kind === "new_sign_in").length, 0, "not for the browser that signed up");
  await signIn({ email: address, password: PASSWORD, remember: true, browser: { deviceId: deviceOf(person) } }, ctx(1));
  assert.equal((await mailsTo(address)).filter((m) => m.kind === "new_sign_in").length, 0);
  await signIn({ email: address, password: PASSWORD, remember: true }, ctx(2, "203.0.113.200"));
  const mailed = (await mailsTo(address)).filter((m) => m.kind === "new_sign_in");
  assert.equal(mailed.length, 1);
  assert.match(mailed[0].text, /Chrome on Linux/);
  assert.match(mailed[0].text, /203\.0\.113\.200/);
});

it("a reused refresh token ends its session and mails the owner once, however many replays arrive together", async () => {
  const address = email();
  const person = await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, ctx());
  const stolen = refreshOf(person);
  assert.ok((await refreshTokens(stolen, ctx(1))).ok);
  const replays = await Promise.all(Array.from({ length: 10 }, () => refreshTokens(stolen, ctx(60))));
  assert.ok(replays.every((r) => !r.ok && r.code === "reused"));
  assert.equal((await mailsTo(address)).filter((m) => m.kind === "refresh_token_reused").length, 1);
});

it("both ways of asking to sign up cost one bcrypt hash and no comparison", async () => {
  const taken = email();
  await signUpThroughMail({ email: taken, password: PASSWORD, remember: true }, ctx());
  const compared = passwordComparisons();
  await startSignUp({ email: email(), password: PASSWORD, remember: true }, ctx(1));
  await startSignUp({ email: taken, password: PASSWORD, remember: true }, ctx(1));
  assert.equal(passwordComparisons(), compared);
});

it("the sign-up link opened in another browser asks for the password chosen: a stranger's sign-up cannot be finished by the owner's click", async () => {
  const victim = email();
  // A stranger starts a sign-up for the victim's address with a password of their choosing.
  const started = await startSignUp({ email: victim, password: "the stranger's password", remember: true }, ctx());
  assert.ok(started.ok);
  const code = await codeMailedTo({ db, config }, victim);
  // The victim clicks the link in the genuine mail, in their own browser: without that password, nothing.
  for (const password of [undefined, "the victim's own password"]) {
    const r = await finishSignUp({ challengeId: started.challengeId, code, fromAnotherBrowser: true, password }, ctx(1));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, "password_mismatch");
  }
  assert.equal(await db.user.count({ where: { email: victim } }), 0);
  // The person who chose it, on another device, finishes with it.
  const own = email();
  const mine = await startSignUp({ email: own, password: PASSWORD, remember: true }, ctx());
  assert.ok(mine.ok);
  const done = await finishSignUp({ challengeId: mine.challengeId, code: await codeMailedTo({ db, config }, own), fromAnotherBrowser: true, password: PASSWORD }, ctx(1));
  assert.ok(done.ok);
});

it("after “this wasn't me” the password no longer works; the browsers the account knew before the change stay known", async () => {
  const address = email();
  const person = await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, ctx());
  const actor = { userId: person.user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: person.user.id } })).id };
  const started = await requestEmailChange(actor, { email: email() }, ctx(1));
  assert.ok(started.ok);
  const newAddress = (await db.emailChallenge.findUniqueOrThrow({ where: { id: started.challengeId } })).email;
  assert.ok((await finishEmailChange(actor, { challengeId: started.challengeId, code: await codeMailedTo({ db, config }, newAddress, "email_change_code") }, ctx(2))).ok);
  // Whoever moved it signs in from a browser of their own.
  await signIn({ email: newAddress, password: PASSWORD, remember: true }, ctx(3, "203.0.113.66"));
  assert.equal(await db.knownDevice.count({ where: { userId: person.user.id } }), 2);
  const undo = linkIn((await mailsTo(address)).find((m) => m.kind === "email_changed")!.text, "/undo-email-change").searchParams.get("token")!;
  assert.ok((await undoEmailChange({ token: undo }, ctx(4))).ok);
  assert.equal((await signIn({ email: address, password: PASSWORD, remember: true }, ctx(5))).ok, false);
  const known = await db.knownDevice.findMany({ where: { userId: person.user.id } });
  assert.deepEqual(known.map((d) => d.firstSeenAt.getTime()), [ctx().now.getTime()], "their browser is a stranger again; the owner's, from sign-up, is not");
  const events = await db.securityEvent.findMany({ where: { userId: person.user.id }, select: { type: true } });
  assert.ok(events.some((e) => e.type === "email_change_requested"));
});

it("a new password, however it was set, ends every reset link already mailed", async () => {
  const address = email();
  const person = await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, ctx());
  await requestPasswordReset({ email: address }, ctx(1));
  const token = linkIn((await newestMail(address, "password_reset")).text, "/reset-password").searchParams.get("token")!;
  const { changePassword } = await import("./change-password");
  const actor = { userId: person.user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: person.user.id } })).id };
  assert.ok((await changePassword(actor, { currentPassword: PASSWORD, newPassword: "changed on purpose" }, ctx(2))).ok);
  assert.deepEqual(await resetPassword({ token, password: "someone else's" }, ctx(3)), { ok: false, code: "link_expired" });
});

it("a browser holds one session: finishing a sign-up or a password reset there ends the one it held, whoever's it was, once the new one is used", async () => {
  const first = await signUpThroughMail({ email: email(), password: PASSWORD, remember: true }, ctx());
  const sessionOf = (r: { user: { id: string } }) => db.session.findFirstOrThrow({ where: { userId: r.user.id } });

  // A second account signed up in the same browser: the first one's session ends at the new
  // session's first refresh, which shows the browser has the new cookies.
  const second = email();
  const started = await startSignUp({ email: second, password: PASSWORD, remember: true }, ctx(1));
  assert.ok(started.ok);
  const signedUp = await finishSignUp({ challengeId: started.challengeId, code: await codeMailedTo({ db, config }, second), browser: { refreshToken: refreshOf(first) } }, ctx(2));
  assert.ok(signedUp.ok);
  assert.equal((await sessionOf(first)).revokedAt, null, "not before the browser is known to have the new session");
  const renewed = await refreshTokens(refreshOf(signedUp), ctx(3));
  assert.ok(renewed.ok);
  assert.equal((await sessionOf(first)).revokedReason, "signed_out");
  assert.equal((await refreshTokens(refreshOf(first), ctx(4))).ok, false);
  assert.equal(await db.securityEvent.count({ where: { userId: first.user.id, type: "signed_out" } }), 1, "shown in the first account's activity");

  // A third account's reset link opened there: the second account's session ends too.
  const third = email();
  await signUpThroughMail({ email: third, password: PASSWORD, remember: true }, ctx(5));
  await requestPasswordReset({ email: third }, ctx(6));
  const token = linkIn((await newestMail(third, "password_reset")).text, "/reset-password").searchParams.get("token")!;
  const reset = await resetPassword({ token, password: "a brand new password", browser: { refreshToken: refreshOf(renewed) } }, ctx(7));
  assert.ok(reset.ok);
  assert.ok((await refreshTokens(refreshOf(reset), ctx(8))).ok);
  assert.equal((await sessionOf(signedUp)).revokedReason, "signed_out");
});
