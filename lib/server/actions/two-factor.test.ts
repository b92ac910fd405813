// Two-step sign-in against a real database at a frozen clock: setup, the pending second step,
// codes accepted once, recovery codes, limits under concurrency, turning it off.
import assert from "node:assert/strict";
import { it } from "node:test";
import { decodeJwt } from "jose";
import { totpCodeAt } from "@/lib/server/totp";
import { signUpThroughMail } from "@/lib/testing/sign-up";
import { reauthenticate } from "./fresh-sign-in";
import { refreshTokens } from "./refresh";
import { signIn } from "./sign-in";
import { confirmTotpSetup, disableTwoFactor, finishSignInWithSecondFactor, regenerateRecoveryCodes, startTotpSetup, twoFactorStatus } from "./two-factor";
import { useActionTests } from "@/lib/testing/action-context";

const { db, t0, ctx, email, PASSWORD } = useActionTests({ label: "twostep", client: { ip: "198.51.100.5", userAgent: "Mozilla/5.0 (Macintosh; Mac OS X) Safari/605.1" } });

/** An account with an authenticator app turned on: its secret and recovery codes. */
async function withApp() {
  const address = email();
  const up = await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, ctx());
  const actor = { userId: up.user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: up.user.id } })).id };
  const setup = await startTotpSetup(actor, ctx(1));
  assert.ok(setup.ok);
  assert.match(setup.qrSvg, /^<svg/);
  assert.match(setup.otpauthUrl, /^otpauth:\/\/totp\/Keycard:.*secret=/);
  assert.deepEqual(await confirmTotpSetup(actor, { code: totpCodeAt(setup.secret, ctx(1).now) === "000000" ? "111111" : "000000" }, ctx(1)), { ok: false, code: "code_incorrect" });
  const confirmed = await confirmTotpSetup(actor, { code: totpCodeAt(setup.secret, ctx(2).now) }, ctx(2));
  assert.ok(confirmed.ok);
  assert.equal(confirmed.recoveryCodes.length, 10);
  return { address, actor, secret: setup.secret, recoveryCodes: confirmed.recoveryCodes };
}

async function passwordStep(address: string, seconds: number) {
  const first = await signIn({ email: address, password: PASSWORD, remember: true }, ctx(seconds));
  assert.equal(!first.ok && first.code, "second_factor_required");
  return (first as { pendingToken: string }).pendingToken;
}

it("with an app on, a right password creates no session: the app's code finishes the sign-in, once", async () => {
  const { address, actor, secret } = await withApp();
  assert.deepEqual(await twoFactorStatus(actor, ctx(3)), { on: true, recoveryCodesLeft: 10 });
  const sessionsBefore = await db.session.count({ where: { userId: actor.userId } });
  const pendingToken = await passwordStep(address, 60);
  assert.equal(await db.session.count({ where: { userId: actor.userId } }), sessionsBefore, "no session before the second step");

  const code = totpCodeAt(secret, ctx(61).now);
  const done = await finishSignInWithSecondFactor({ pendingToken, code }, ctx(61));
  assert.ok(done.ok);
  const claims = decodeJwt(done.tokens.cookies.find((c) => c.name.endsWith("kc_access"))!.value);
  assert.deepEqual(claims.amr, ["pwd", "otp", "mfa"]);

  // The same code again, on a new sign-in within its 30 seconds: refused.
  const again = await passwordStep(address, 62);
  assert.equal((await finishSignInWithSecondFactor({ pendingToken: again, code }, ctx(62))).ok, false);
  // A used pending sign-in cannot be used again.
  assert.deepEqual(await finishSignInWithSecondFactor({ pendingToken, code: totpCodeAt(secret, ctx(95).now) }, ctx(95)), { ok: false, code: "sign_in_expired" });
});

it("one step of clock drift is allowed, two are not", async () => {
  const { address, secret } = await withApp();
  const token = await passwordStep(address, 300);
  assert.equal((await finishSignInWithSecondFactor({ pendingToken: token, code: totpCodeAt(secret, ctx(300 - 60).now) }, ctx(300))).ok, false);
  assert.equal((await finishSignInWithSecondFactor({ pendingToken: token, code: totpCodeAt(secret, ctx(300 - 30).now) }, ctx(300))).ok, true);
});

it("forty codes at one pending sign-in released together: five are checked, then the password is asked again", async () => {
  const { address, secret } = await withApp();
  const pendingToken = await passwordStep(address, 60);
  const right = totpCodeAt(secret, ctx(61).now);
  const wrong = right === "000000" ? "111111" : "000000";
  const results = await Promise.all(Array.from({ length: 40 }, () => finishSignInWithSecondFactor({ pendingToken, code: wrong }, ctx(61))));
  assert.equal(results.filter((r) => !r.ok && r.code === "code_incorrect").length, 5);
  assert.equal(results.filter((r) => !r.ok && r.code === "sign_in_expired").length, 35);
  assert.deepEqual(await finishSignInWithSecondFactor({ pendingToken, code: right }, ctx(62)), { ok: false, code: "sign_in_expired" });
});

it("a recovery code works once and says how many are left; new codes void the old ones", async () => {
  const { address, actor, recoveryCodes } = await withApp();
  const first = await finishSignInWithSecondFactor({ pendingToken: await passwordStep(address, 60), code: recoveryCodes[0].toUpperCase() }, ctx(60));
  assert.ok(first.ok);
  assert.equal(first.recoveryCodesLeft, 9);
  assert.equal((await finishSignInWithSecondFactor({ pendingToken: await passwordStep(address, 61), code: recoveryCodes[0] }, ctx(61))).ok, false);

  const fresh = await regenerateRecoveryCodes(actor, ctx(70));
  assert.ok(fresh.ok);
  assert.equal((await finishSignInWithSecondFactor({ pendingToken: await passwordStep(address, 71), code: recoveryCodes[1] }, ctx(71))).ok, false);
  assert.ok((await finishSignInWithSecondFactor({ pendingToken: await passwordStep(address, 72), code: fresh.recoveryCodes[1] }, ctx(72))).ok);
});

it("turning it off needs a fresh sign-in, mails the owner and is recorded; then a password alone signs in", async () => {
  const { address, actor, secret } = await withApp();
  assert.deepEqual(await disableTwoFactor(actor, ctx(3600)), { ok: false, code: "reauthentication_required" });
  assert.deepEqual(await reauthenticate(actor, { password: PASSWORD, code: totpCodeAt(secret, ctx(3601).now) }, ctx(3601)), { ok: true });
  assert.deepEqual(await disableTwoFactor(actor, ctx(3602)), { ok: true });
  assert.ok(await db.outboxMail.findFirst({ where: { to: address, kind: "two_factor_disabled" } }));
  assert.ok(await db.securityEvent.findFirst({ where: { userId: actor.userId, type: "two_factor_disabled" } }));
  assert.equal((await signIn({ email: address, password: PASSWORD, remember: true }, ctx(3603))).ok, true);
});

it("a password reset does not get round the second factor: the sign-in after it still asks for the code", async () => {
  const { address, secret } = await withApp();
  const { requestPasswordReset, resetPassword } = await import("./password-reset");
  await requestPasswordReset({ email: address }, ctx(100));
  const mail = await db.outboxMail.findFirstOrThrow({ where: { to: address, kind: "password_reset" }, orderBy: { createdAt: "desc" } });
  const token = new URL(/https?:\/\/\S+reset-password\S+/.exec(mail.text)![0]).searchParams.get("token")!;
  const sessionsBefore = await db.session.count({ where: { user: { email: address }, revokedAt: null } });
  const reset = await resetPassword({ token, password: "a fresh strong passphrase" }, ctx(101));
  assert.equal(!reset.ok && reset.code, "second_factor_required");
  assert.equal(await db.session.count({ where: { user: { email: address }, revokedAt: null } }), 0, `no live session (there were ${sessionsBefore})`);
  const done = await finishSignInWithSecondFactor({ pendingToken: (reset as { pendingToken: string }).pendingToken, code: totpCodeAt(secret, ctx(131).now) }, ctx(131));
  assert.ok(done.ok);
});

it("with an app on, confirming it's you takes the code as well as the password", async () => {
  const { actor, secret } = await withApp();
  assert.deepEqual(await reauthenticate(actor, { password: PASSWORD }, ctx(900)), { ok: false, code: "reauth_code_required" });
  assert.deepEqual(await reauthenticate(actor, { password: PASSWORD, code: "000000" === totpCodeAt(secret, ctx(901).now) ? "111111" : "000000" }, ctx(901)), { ok: false, code: "code_incorrect" });
  assert.deepEqual(await reauthenticate(actor, { password: PASSWORD, code: totpCodeAt(secret, ctx(930).now) }, ctx(930)), { ok: true });
  const session = await db.session.findUniqueOrThrow({ where: { id: actor.sessionId } });
  assert.equal(session.amr, "pwd,otp,mfa");
});

it("wrong codes have their own limit: someone with the password cannot spend the owner's password checks", async () => {
  const { address, actor, secret } = await withApp();
  await db.rateLimit.deleteMany(); // setting the app up checked two codes
  const wrong = (s: number) => (totpCodeAt(secret, ctx(s).now) === "000000" ? "111111" : "000000");
  const results = [];
  for (let i = 0; i < 3; i++) {
    const token = await passwordStep(address, 60 + i);
    for (let j = 0; j < 5; j++) results.push(await finishSignInWithSecondFactor({ pendingToken: token, code: wrong(60 + i) }, ctx(60 + i)));
  }
  assert.equal(results.filter((r) => !r.ok && r.code === "rate_limited").length, 5, "10 per hour per account, then 429");
  const { changePassword } = await import("./change-password");
  assert.ok((await changePassword(actor, { currentPassword: PASSWORD, newPassword: "the owner's new passphrase" }, ctx(70))).ok);
});

it("“this wasn't me” also removes passkeys and the authenticator app whoever moved the address may have added", async () => {
  const { address, actor } = await withApp();
  const { requestEmailChange, finishEmailChange, undoEmailChange } = await import("./change-email");
  const { codeMailedTo } = await import("@/lib/testing/sign-up");
  await db.passkey.create({ data: { id: `cred-${Date.now()}`, userId: actor.userId, publicKey: "x", counter: 0, deviceType: "singleDevice", backedUp: false, name: "theirs", createdAt: t0 } });
  const started = await requestEmailChange(actor, { email: `moved-${address}`, password: PASSWORD }, ctx(3));
  assert.ok(started.ok);
  assert.ok((await finishEmailChange(actor, { challengeId: started.challengeId, code: await codeMailedTo({ db }, `moved-${address}`, "email_change_code") }, ctx(4))).ok);
  const mail = await db.outboxMail.findFirstOrThrow({ where: { to: address, kind: "email_changed" } });
  const token = new URL(/https?:\/\/\S+undo-email-change\S+/.exec(mail.text)![0]).searchParams.get("token")!;
  assert.ok((await undoEmailChange({ token }, ctx(5))).ok);
  assert.equal(await db.passkey.count({ where: { userId: actor.userId } }), 0);
  assert.equal(await db.totpFactor.count({ where: { userId: actor.userId } }), 0);
  assert.equal(await db.recoveryCode.count({ where: { userId: actor.userId } }), 0);
});

it("the second step ends the session this browser held before (at the new one's first refresh), as a password alone does", async () => {
  const held = await signUpThroughMail({ email: email(), password: PASSWORD, remember: true }, ctx());
  const heldRefresh = held.tokens.cookies.find((c) => c.name.endsWith("kc_refresh"))!.value;
  const { address, secret } = await withApp();
  const pendingToken = await passwordStep(address, 60);
  assert.equal((await db.session.findFirstOrThrow({ where: { userId: held.user.id } })).revokedAt, null, "the password alone ends nothing yet");
  const done = await finishSignInWithSecondFactor({ pendingToken, code: totpCodeAt(secret, ctx(61).now), browser: { refreshToken: heldRefresh } }, ctx(61));
  assert.ok(done.ok);
  assert.ok((await refreshTokens(done.tokens.cookies.find((c) => c.name.endsWith("kc_refresh"))!.value, ctx(62))).ok);
  assert.equal((await db.session.findFirstOrThrow({ where: { userId: held.user.id } })).revokedReason, "signed_out");
});
