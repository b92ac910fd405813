// Signing in through another provider, against a real OpenID provider (oidc-provider on a free
// port) and a real database: accounts made, identities known, never connected silently, the second
// step still asked, connect, disconnect, confirm it's you.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Config } from "@/lib/env";
import { totpCodeAt } from "@/lib/server/totp";
import { useActionTests, cookieFrom } from "@/lib/testing/action-context";
import { outboxOf } from "@/lib/testing/outbox";
import { signInAtProvider } from "@/lib/testing/provider-browser";
import { testConfig } from "@/lib/testing/settings";
import { codeMailedTo, signUpThroughMail } from "@/lib/testing/sign-up";
import { accountWithApp } from "@/lib/testing/two-factor";
import { freePort } from "@/scripts/free-port.mjs";
import { startOpenIdProvider } from "@/scripts/oidc-provider.mjs";
import { needsFreshSignIn } from "./fresh-sign-in";
import { confirmPendingLink, disconnectProvider, finishConfirmationWithCode, finishProviderCallback, pendingLinkFor, startAtProvider, type ProviderPurpose } from "./providers";
import { removePassword } from "./change-password";
import { signIn } from "./sign-in";
import { finishSignUp } from "./sign-up";
import { confirmTotpSetup, finishSignInWithSecondFactor, startTotpSetup } from "./two-factor";

const { db, ctx, email, PASSWORD } = useActionTests({ label: "fed", client: { ip: "198.51.100.30", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" } });
let provider: { issuer: string; close: () => Promise<void> };
let config: Config;
const at = (seconds = 0, ip?: string) => ctx(seconds, ip, config);

before(async () => {
  const port = await freePort();
  const appOrigin = "http://localhost:3998";
  provider = await startOpenIdProvider({ port, clients: [{ client_id: "keycard", client_secret: "keycard-test-secret-0123456789", redirect_uris: [`${appOrigin}/api/auth/oauth/corp/callback`] }] });
  config = testConfig({ APP_ORIGIN: appOrigin, AUTH_PROVIDERS: "corp", AUTH_PROVIDER_CORP_ISSUER: provider.issuer, AUTH_PROVIDER_CORP_CLIENT_ID: "keycard", AUTH_PROVIDER_CORP_CLIENT_SECRET: "keycard-test-secret-0123456789", AUTH_PROVIDER_CORP_NAME: "Corp" });
});
after(() => provider.close());

/** A browser's round trip: start (its cookie), sign in at the provider as `login`, back to the callback. */
async function roundTrip(login: string, options: { purpose?: ProviderPurpose; actor?: { userId: string; sessionId: string }; seconds?: number; browserValue?: string; held?: { refreshToken?: string; deviceId?: string } } = {}) {
  const seconds = options.seconds ?? 10;
  const started = await startAtProvider({ providerId: "corp", purpose: options.purpose ?? "sign_in", next: "/dashboard", remember: true, actor: options.actor, browserValue: options.browserValue }, at(seconds));
  assert.ok(started.ok, JSON.stringify(started));
  const callback = await signInAtProvider(started.redirect, login);
  const result = await finishProviderCallback({ providerId: "corp", callback, browserValue: started.browserValue, browser: options.held ?? {} }, at(seconds + 1));
  return { result, browserValue: started.browserValue, callback };
}

/** The account `address` signed up through the provider, its authenticator app turned on (at 12–13 s). */
async function turnOnAppOf(address: string) {
  const user = await db.user.findUniqueOrThrow({ where: { email: address } });
  const actor = { userId: user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: user.id } })).id };
  const setup = await startTotpSetup(actor, at(12));
  assert.ok(setup.ok);
  assert.ok((await confirmTotpSetup(actor, { code: totpCodeAt(setup.secret, at(13).now) }, at(13))).ok);
  return { user, setup };
}

it("a new identity whose address the provider vouches for makes an account, proved, without a password; the next time, it signs in", async () => {
  const address = email();
  const first = await roundTrip(address);
  assert.ok(first.result.ok && first.result.kind === "signed_in", JSON.stringify(first.result));
  const user = await db.user.findUniqueOrThrow({ where: { email: address }, include: { identities: true } });
  assert.equal(user.passwordHash, null);
  assert.ok(user.emailVerifiedAt);
  assert.equal(user.identities.length, 1);
  assert.equal((await db.session.findFirstOrThrow({ where: { userId: user.id } })).amr, "fed");
  const again = await roundTrip(address, { seconds: 60 });
  assert.ok(again.result.ok && again.result.kind === "signed_in");
  assert.equal(await db.user.count({ where: { email: address } }), 1);
  // No password to sign in with.
  assert.equal(!(await signIn({ email: address, password: PASSWORD, remember: true }, at(70))).ok, true);
});

it("an address the provider does not vouch for is proved by a mailed code first; the code makes the account with the identity", async () => {
  const address = email();
  const { result } = await roundTrip(`unverified:${address}`);
  assert.ok(result.ok && result.kind === "verify_email", JSON.stringify(result));
  assert.equal(await db.user.count({ where: { email: address } }), 0, "nothing made before the code");
  const code = await codeMailedTo({ db, config }, address);
  const done = await finishSignUp({ challengeId: result.challengeId, code }, at(30));
  assert.ok(done.ok);
  const user = await db.user.findUniqueOrThrow({ where: { email: address }, include: { identities: true } });
  assert.equal(user.passwordHash, null);
  assert.equal(user.identities[0].subject, `unverified:${address}`);
});

it("a new identity whose address already has an account is never connected silently: the owner signs in, then confirms", async () => {
  const address = email();
  const owner = await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, at());
  const { result, browserValue } = await roundTrip(address, { seconds: 700 });
  assert.ok(result.ok && result.kind === "link", JSON.stringify(result));
  assert.equal(await db.providerIdentity.count({ where: { userId: owner.user.id } }), 0, "not connected yet");
  assert.equal(await db.session.count({ where: { userId: owner.user.id, createdAt: { gt: at(600).now } } }), 0, "and nobody signed in");
  // Someone else's session cannot take it.
  const stranger = await signUpThroughMail({ email: email(), password: PASSWORD, remember: true }, at(700));
  const strangerActor = { userId: stranger.user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: stranger.user.id } })).id };
  assert.equal(await pendingLinkFor(strangerActor, browserValue, at(701)), null);
  assert.deepEqual(await confirmPendingLink(strangerActor, browserValue, at(701)), { ok: false, code: "link_expired" });
  // The owner, signed in with the password just now, confirms in the same browser.
  const signedIn = await signIn({ email: address, password: PASSWORD, remember: true }, at(710));
  assert.ok(signedIn.ok);
  const actor = { userId: owner.user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: owner.user.id }, orderBy: { createdAt: "desc" } })).id };
  assert.deepEqual(await pendingLinkFor(actor, browserValue, at(711)), { providerName: "Corp", email: address });
  assert.deepEqual(await confirmPendingLink(actor, browserValue, at(712)), { ok: true });
  assert.equal(await db.providerIdentity.count({ where: { userId: owner.user.id } }), 1);
  assert.equal((await outboxOf(db, config).mailsTo(address, "provider_connected")).length, 1);
  assert.deepEqual(await confirmPendingLink(actor, browserValue, at(713)), { ok: false, code: "link_expired" }, "used once");
  // Now the identity signs the owner in.
  const next = await roundTrip(address, { seconds: 800 });
  assert.ok(next.result.ok && next.result.kind === "signed_in");
});

it("an address the provider does not vouch for, that has an account here, is refused: nothing held, nothing connected, nobody signed in (nOAuth)", async () => {
  const address = email();
  const owner = await signUpThroughMail({ email: address, password: PASSWORD, remember: true }, at());
  // Someone made a provider account under the owner's address, unproved there.
  const { result, browserValue } = await roundTrip(`unverified:${address}`, { seconds: 700 });
  assert.ok(!result.ok && result.code === "provider_refused" && /did not confirm that this address is yours/.test(result.why), JSON.stringify(result));
  assert.equal(await db.providerIdentity.count({ where: { userId: owner.user.id } }), 0);
  assert.equal(await db.session.count({ where: { userId: owner.user.id, createdAt: { gt: at(600).now } } }), 0);
  // Nothing waits in that browser for the owner to confirm, should they sign in there later.
  const signedIn = await signIn({ email: address, password: PASSWORD, remember: true }, at(710));
  assert.ok(signedIn.ok);
  const actor = { userId: owner.user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: owner.user.id }, orderBy: { createdAt: "desc" } })).id };
  assert.equal(await pendingLinkFor(actor, browserValue, at(711)), null);
  assert.deepEqual(await confirmPendingLink(actor, browserValue, at(712)), { ok: false, code: "link_expired" });
  assert.equal(await db.providerIdentity.count({ where: { subject: `unverified:${address}` } }), 0);
});

it("the callback belongs to the browser that started it (login CSRF) and works once (replay)", async () => {
  const address = email();
  const started = await startAtProvider({ providerId: "corp", purpose: "sign_in", next: "/dashboard", remember: true }, at(10));
  assert.ok(started.ok);
  const callback = await signInAtProvider(started.redirect, address);
  const elsewhere = await finishProviderCallback({ providerId: "corp", callback, browserValue: "x".repeat(43), browser: {} }, at(11));
  assert.equal(!elsewhere.ok && elsewhere.code, "provider_refused");
  const none = await finishProviderCallback({ providerId: "corp", callback, browserValue: undefined, browser: {} }, at(11));
  assert.equal(!none.ok && none.code, "provider_refused");
  assert.equal(await db.user.count({ where: { email: address } }), 0, "nothing created");
  const mine = await finishProviderCallback({ providerId: "corp", callback, browserValue: started.browserValue, browser: {} }, at(12));
  assert.ok(mine.ok, "the browser that started it");
  const replay = await finishProviderCallback({ providerId: "corp", callback, browserValue: started.browserValue, browser: {} }, at(13));
  assert.equal(!replay.ok && replay.code, "provider_refused");
});

it("with two-step sign-in on, a provider's sign-in still asks for the code", async () => {
  const address = email();
  const made = await roundTrip(address);
  assert.ok(made.result.ok);
  const { user, setup } = await turnOnAppOf(address);
  const { result } = await roundTrip(address, { seconds: 100 });
  assert.ok(result.ok && result.kind === "second_factor", JSON.stringify(result));
  const done = await finishSignInWithSecondFactor({ pendingToken: result.pendingToken, code: totpCodeAt(setup.secret, at(130).now) }, at(130));
  assert.ok(done.ok);
  const session = await db.session.findFirstOrThrow({ where: { userId: user.id }, orderBy: { createdAt: "desc" } });
  assert.equal(session.amr, "fed,otp,mfa");
});

it("wrong codes after a provider's sign-in, on an account without a password: at the ceiling nothing is switched off (no password appears) and the owner is told which door is open", async () => {
  const address = email();
  assert.ok((await roundTrip(address)).result.ok);
  const { user, setup } = await turnOnAppOf(address);
  await db.user.update({ where: { id: user.id }, data: { secondFactorFailures: config.secondFactorMaxFailures - 1 } });
  const { result } = await roundTrip(address, { seconds: 100 });
  assert.ok(result.ok && result.kind === "second_factor");
  const wrong = totpCodeAt(setup.secret, at(130).now) === "000000" ? "111111" : "000000";
  const refused = await finishSignInWithSecondFactor({ pendingToken: result.pendingToken, code: wrong }, at(130));
  assert.equal(refused.ok, false);
  const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
  assert.equal(after.passwordHash, null, "no password nobody knows");
  assert.equal(after.secondFactorFailures, 0);
  assert.equal((await outboxOf(db, config).mailsTo(address, "codes_guessed")).length, 1);
  assert.equal((await outboxOf(db, config).mailsTo(address, "password_stopped")).length, 0);
});

it("an account with a password and the app signs in through its provider with the app's code (no password was checked to guard)", async () => {
  const { address, actor, secret } = await accountWithApp(at, { email: email(), password: PASSWORD });
  const connected = await roundTrip(`corp-${address}`, { purpose: "connect", actor, seconds: 20 });
  assert.ok(connected.result.ok && connected.result.kind === "connected", JSON.stringify(connected.result));
  const { result } = await roundTrip(`corp-${address}`, { seconds: 100 });
  assert.ok(result.ok && result.kind === "second_factor", JSON.stringify(result));
  const done = await finishSignInWithSecondFactor({ pendingToken: result.pendingToken, code: totpCodeAt(secret, at(130).now) }, at(130));
  assert.ok(done.ok, JSON.stringify(done));
  assert.equal((await db.session.findFirstOrThrow({ where: { userId: actor.userId }, orderBy: { createdAt: "desc" } })).amr, "fed,otp,mfa");
});

it("connect from the account (a fresh sign-in), then the last way in is never removed; confirming it's you through the provider renews the tokens", async () => {
  const { address, actor, signedUp, secret } = await accountWithApp(at, { email: email(), password: PASSWORD });
  const connected = await roundTrip(`elsewhere-${address}`, { purpose: "connect", actor, seconds: 20 });
  assert.ok(connected.result.ok && connected.result.kind === "connected", JSON.stringify(connected.result));
  const identity = await db.providerIdentity.findFirstOrThrow({ where: { userId: actor.userId } });
  assert.equal(identity.email, `elsewhere-${address}`, "its own address, whatever the account's");
  // Removing the password leaves the provider; removing the provider then would leave nothing.
  // The password itself is asked (else removing it and setting another would change it unknown).
  assert.deepEqual(await removePassword(actor, { currentPassword: "a guess at it" }, at(30)), { ok: false, code: "wrong_password" });
  assert.deepEqual(await removePassword(actor, { currentPassword: PASSWORD }, at(30)), { ok: true });
  assert.deepEqual(await disconnectProvider(actor, { id: identity.id }, at(31)), { ok: false, code: "last_way_in" });
  // A stale session confirms through the provider, which signs the person in again — and with the
  // app on, its code is asked after it, as at sign-in (a borrowed laptop may hold the provider's
  // session; the code is never guessed from a session alone).
  assert.deepEqual(await needsFreshSignIn(actor, at(700)), { ok: false, code: "reauthentication_required" });
  const held = { refreshToken: cookieFrom(signedUp, "kc_refresh") };
  const there = await roundTrip(`elsewhere-${address}`, { purpose: "reauthenticate", actor, seconds: 700, held });
  assert.deepEqual(there.result, { ok: true, kind: "reauth_code" });
  assert.deepEqual(await needsFreshSignIn(actor, at(702)), { ok: false, code: "reauthentication_required" }, "not yet: the code");
  const withCode = (code: string, seconds: number, browserValue = there.browserValue, refreshToken = held.refreshToken) =>
    finishConfirmationWithCode(actor, { browserValue, code, refreshToken }, at(seconds));
  assert.deepEqual(await withCode("000000", 703), { ok: false, code: "code_incorrect" });
  assert.deepEqual(await withCode(totpCodeAt(secret, at(704).now), 704, "another-browser-value-0123456789abcdefghijkl"), { ok: false, code: "confirmation_expired" });
  const confirmed = await withCode(totpCodeAt(secret, at(705).now), 705);
  assert.ok(confirmed.ok && confirmed.next === "/dashboard", JSON.stringify(confirmed.ok));
  assert.equal(await needsFreshSignIn(actor, at(706)), null);
  assert.equal((await db.session.findUniqueOrThrow({ where: { id: actor.sessionId } })).amr, "fed,otp,mfa");
  const activity = await db.securityEvent.findMany({ where: { userId: actor.userId, type: { in: ["reauthenticated", "reauthentication_failed"] } }, orderBy: { createdAt: "asc" } });
  assert.deepEqual(activity.map((e) => e.detail), ["wrong code", "through a provider and the app's code"]);
  const renewed = cookieFrom(confirmed as { tokens: { cookies: { name: string; value: string }[] } }, "kc_refresh");
  assert.deepEqual(await withCode(totpCodeAt(secret, at(740).now), 740, there.browserValue, renewed), { ok: false, code: "confirmation_expired" }, "once");
  // Another account at the provider cannot confirm this one.
  const wrong = await roundTrip(`someone-else-${address}`, { purpose: "reauthenticate", actor, seconds: 760, held: { refreshToken: renewed } });
  assert.equal(!wrong.result.ok && wrong.result.code, "provider_refused");
});

it("a sign-in through the provider is only as fresh as the person's sign-in there (a browser holding the provider's session proves no one)", async () => {
  const address = email();
  // The provider's clock is the real one; these contexts are set from it.
  const realNow = Math.ceil((Date.now() - at(0).now.getTime()) / 1000);
  const made = await roundTrip(address, { seconds: realNow });
  assert.ok(made.result.ok && made.result.kind === "signed_in");
  const user = await db.user.findUniqueOrThrow({ where: { email: address } });
  const first = { userId: user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: user.id } })).id };
  assert.equal(await needsFreshSignIn(first, at(realNow + 2)), null, "signed in there just now: fresh here");
  // The same sign-in there, used here eleven minutes later (the provider did not ask again).
  const started = await startAtProvider({ providerId: "corp", purpose: "sign_in", next: "/dashboard", remember: true }, at(realNow + 11 * 60 - 5));
  assert.ok(started.ok);
  assert.equal(started.redirect.searchParams.get("max_age"), "2592000", "asked for auth_time");
  const callback = await signInAtProvider(started.redirect, address);
  const later = await finishProviderCallback({ providerId: "corp", callback, browserValue: started.browserValue, browser: {} }, at(realNow + 11 * 60));
  assert.ok(later.ok && later.kind === "signed_in", JSON.stringify(later));
  const second = await db.session.findFirstOrThrow({ where: { userId: user.id }, orderBy: { createdAt: "desc" } });
  assert.notEqual(second.id, first.sessionId);
  assert.ok(second.authenticatedAt! < new Date(Date.now() + 5000), "the provider's auth_time, not this sign-in's time");
  assert.deepEqual(await needsFreshSignIn({ userId: user.id, sessionId: second.id }, at(realNow + 11 * 60 + 1)), { ok: false, code: "reauthentication_required" });
});

it("an identity connected to one account cannot be connected to another", async () => {
  const address = email();
  assert.ok((await roundTrip(address)).result.ok);
  const other = await signUpThroughMail({ email: email(), password: PASSWORD, remember: true }, at(30));
  const actor = { userId: other.user.id, sessionId: (await db.session.findFirstOrThrow({ where: { userId: other.user.id } })).id };
  const { result } = await roundTrip(address, { purpose: "connect", actor, seconds: 40 });
  assert.equal(!result.ok && result.code, "provider_refused");
  assert.equal(await db.providerIdentity.count({ where: { userId: other.user.id } }), 0);
});
