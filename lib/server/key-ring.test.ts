// Changing REFRESH_TOKEN_KEY through its ring signs nobody out and locks nobody out: against a
// real database, two configurations of one deployment — before and after the new key.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { it } from "node:test";
import { cookieFrom, useActionTests } from "@/lib/testing/action-context";
import { testConfig } from "@/lib/testing/settings";
import { outboxOf } from "@/lib/testing/outbox";
import { accountWithApp, passwordStep } from "@/lib/testing/two-factor";
import { keyId } from "./key-ring";
import { requestPasswordReset, resetPassword } from "./actions/password-reset";
import { refreshTokens } from "./actions/refresh";
import { finishSignInWithSecondFactor } from "./actions/two-factor";
import { resealAuthenticatorKeys, stillUsingEarlierKeys } from "./store/key-ring";
import { totpCodeAt } from "./totp";

const [oldKey, newKey] = [randomBytes(32).toString("base64url"), randomBytes(32).toString("base64url")];
const before = testConfig({ REFRESH_TOKEN_KEY: oldKey, APP_ORIGIN: "https://login.example.com" });
const during = testConfig({ REFRESH_TOKEN_KEY: `${newKey},${oldKey}`, APP_ORIGIN: "https://login.example.com" });
const after = testConfig({ REFRESH_TOKEN_KEY: newKey, APP_ORIGIN: "https://login.example.com" });
const { db, ctx, email, PASSWORD } = useActionTests({ label: "ring", client: { ip: "198.51.100.9", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" }, config: before });
const at = (config: typeof before) => (seconds = 0) => ctx(seconds, undefined, config);

it("rotating REFRESH_TOKEN_KEY: a two-step user still signs in (app and recovery code), a reset link mailed before works, nobody is signed out", async () => {
  const { address, secret, recoveryCodes, signedUp } = await accountWithApp(at(before), { email: email(), password: PASSWORD });
  await requestPasswordReset({ email: address }, at(before)(10));
  const mail = await outboxOf(db, during).newestMail(address, "password_reset");
  const resetToken = new URL(/https?:\/\/\S+reset-password\S+/.exec(mail.text)![0]).searchParams.get("token")!;
  // A tab refreshes just before the new key arrives; another presents the same token just after.
  const refreshed = await refreshTokens(cookieFrom(signedUp, "kc_refresh"), at(before)(20));
  assert.ok(refreshed.ok);
  const sameMoment = await refreshTokens(cookieFrom(signedUp, "kc_refresh"), at(during)(25));
  assert.ok(sameMoment.ok, "the other tab gets the successor made with the old key");
  assert.equal(cookieFrom(sameMoment, "kc_refresh"), cookieFrom(refreshed, "kc_refresh"));
  assert.ok((await refreshTokens(cookieFrom(refreshed, "kc_refresh"), at(during)(30))).ok, "and the session goes on under the new key");

  // The app's key, sealed with the old key, still opens — and is sealed again with the new one.
  const pending = await passwordStep(at(during)(40), { email: address, password: PASSWORD });
  assert.ok((await finishSignInWithSecondFactor({ pendingToken: pending, code: totpCodeAt(secret, at(during)(40).now) }, at(during)(40))).ok);
  const factor = await db.totpFactor.findFirstOrThrow({ where: { user: { email: address } } });
  assert.ok(factor.secret.startsWith(`v2.${keyId(newKey)}.`), "re-sealed on use");
  // A recovery code made with the old key works while it is in the ring.
  const byCode = await passwordStep(at(during)(50), { email: address, password: PASSWORD });
  assert.ok((await finishSignInWithSecondFactor({ pendingToken: byCode, code: recoveryCodes[0] }, at(during)(50))).ok);
  // The reset link mailed before the change works within its lifetime (and still waits for the app).
  const reset = await resetPassword({ token: resetToken, password: "a passphrase chosen later" }, at(during)(60));
  assert.equal(!reset.ok && reset.code, "second_factor_required");
  assert.ok((await finishSignInWithSecondFactor({ pendingToken: (reset as { pendingToken: string }).pendingToken, code: totpCodeAt(secret, at(during)(90).now) }, at(during)(90))).ok);
});

it("before the old key is retired, the reseal seals every app key anew and the status names what still needs the old key", async () => {
  const { secret, address } = await accountWithApp(at(before), { email: email(), password: PASSWORD });
  const done = await resealAuthenticatorKeys(db, during);
  assert.ok(done.resealed >= 1);
  const still = await stillUsingEarlierKeys(db, during, at(during)(5).now);
  assert.equal(still.authenticatorKeys, 0);
  assert.ok(still.recoveryCodes >= 9, "recovery codes cannot be hashed again: their key must stay until they are replaced");
  // After retiring the old key: the resealed app key works.
  const pending = await passwordStep(at(after)(100), { email: address, password: PASSWORD });
  assert.ok((await finishSignInWithSecondFactor({ pendingToken: pending, code: totpCodeAt(secret, at(after)(100).now) }, at(after)(100))).ok);
});
