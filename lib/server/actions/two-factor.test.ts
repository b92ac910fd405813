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
import { accountWithApp, passwordStep as passwordStepOf } from "@/lib/testing/two-factor";

const { db, ctx, email, PASSWORD } = useActionTests({ label: "twostep", client: { ip: "198.51.100.5", userAgent: "Mozilla/5.0 (Macintosh; Mac OS X) Safari/605.1" } });

/** An account with an authenticator app turned on, its setup checked on the way. */
async function withApp() {
  const address = email();
  const made = await accountWithApp(ctx, { email: address, password: PASSWORD });
  assert.equal(made.recoveryCodes.length, 10);
  return made;
}

const passwordStep = (address: string, seconds: number) => passwordStepOf(ctx(seconds), { email: address, password: PASSWORD });

it("setting it up shows a QR code drawn here and the app's address; a wrong first code turns nothing on", async () => {
  const signedUp = await signUpThroughMail({ email: email(), password: PASSWORD, remember: true }, ctx());
  const actor = { userId: signedUp.user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: signedUp.user.id } })).id };
  const setup = await startTotpSetup(actor, ctx(1));
  assert.ok(setup.ok);
  assert.match(setup.qrSvg, /^<svg/);
  assert.match(setup.otpauthUrl, /^otpauth:\/\/totp\/Keycard:.*secret=/);
  const wrong = totpCodeAt(setup.secret, ctx(1).now) === "000000" ? "111111" : "000000";
  assert.deepEqual(await confirmTotpSetup(actor, { code: wrong }, ctx(1)), { ok: false, code: "code_incorrect" });
  assert.deepEqual(await twoFactorStatus(actor, ctx(1)), { on: false, recoveryCodesLeft: 0 });
});

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

it("with an app on, confirming it's you takes the code as well as the password", async () => {
  const { actor, secret } = await withApp();
  assert.deepEqual(await reauthenticate(actor, { password: PASSWORD }, ctx(900)), { ok: false, code: "reauth_code_required" });
  assert.deepEqual(await reauthenticate(actor, { password: PASSWORD, code: "000000" === totpCodeAt(secret, ctx(901).now) ? "111111" : "000000" }, ctx(901)), { ok: false, code: "code_incorrect" });
  assert.deepEqual(await reauthenticate(actor, { password: PASSWORD, code: totpCodeAt(secret, ctx(930).now) }, ctx(930)), { ok: true });
  const session = await db.session.findUniqueOrThrow({ where: { id: actor.sessionId } });
  assert.equal(session.amr, "pwd,otp,mfa");
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
