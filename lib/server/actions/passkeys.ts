// Passkeys: adding, naming and removing them from /account, signing in with one, and confirming
// it's you with one (sudo mode). Node only.
//
// The relying party is APP_ORIGIN: its host is the RP ID, the origin is what the browser must
// report. Every ceremony's challenge is stored server-side, single use, short-lived
// (store/passkeys.ts), and bound to the session that asked (adding, confirming) or to the sign-in
// attempt's cookie (signing in). User verification (a PIN or a biometric on the device) is
// required: a passkey is one phishing-resistant step, needing neither a password nor a second
// factor, at sign-in and when confirming it's you alike.
import "server-only";
import type { HeldByBrowser } from "@/lib/edge/cookies";
import { createHash } from "node:crypto";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { describeDevice } from "@/lib/server/device";
import { isPrismaError } from "@/lib/server/faults";
import { takePasskeyChallenge } from "@/lib/server/limits";
import { log } from "@/lib/server/log";
import { mails } from "@/lib/server/mail/mails";
import { createSessionIfUnlocked } from "@/lib/server/store/sessions";
import { waysIn } from "@/lib/server/store/identities";
import { holdAccount } from "@/lib/server/store/users";
import {
  findPasskey,
  listPasskeys,
  recordPasskeyUse,
  removePasskeyStatement,
  renamePasskey,
  CEREMONY_TIMEOUT_MS,
  saveChallenge,
  savePasskey,
  takeChallenge,
  takeReauthChallenge,
  takeSecondStepChallenge,
  takeSignInChallenge,
  type PasskeyRow,
} from "@/lib/server/store/passkeys";
import { accountLocked, record, type AccountLocked, type ActionContext, type Actor, type RateLimited } from "./context";
import { markSignInFresh, needsFreshSignIn, type NeedsFreshSignIn } from "./fresh-sign-in";
import { circumstancesOf, queue, sendQueuedMail } from "./mail";
import { signedInWith, type SignedIn } from "./sign-in";
import { findPendingSignIn, pendingBinding } from "@/lib/server/store/two-factor";
import { finishPendingSignIn, firstFactorOf } from "./two-factor";

const relyingParty = (ctx: ActionContext) => ({ rpID: new URL(ctx.config.appOrigin).hostname, origin: ctx.config.appOrigin });
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

export function passkeysOf(actor: Actor, ctx: ActionContext) {
  return listPasskeys(ctx.db, actor.userId);
}

/** Options for the browser's navigator.credentials.create(), and the challenge's id. */
export async function startAddingPasskey(actor: Actor, ctx: ActionContext): Promise<{ ok: true; options: unknown } | NeedsFreshSignIn> {
  const stale = await needsFreshSignIn(actor, ctx);
  if (stale) return stale;
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
  const existing = await listPasskeys(ctx.db, actor.userId);
  const options = await generateRegistrationOptions({
    rpName: "Keycard",
    rpID: relyingParty(ctx).rpID,
    userName: user.email,
    userID: new TextEncoder().encode(actor.userId),
    attestationType: "none",
    // The same authenticator twice would be one passkey under two names.
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: transportsOf(p) })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    timeout: CEREMONY_TIMEOUT_MS,
  });
  await saveChallenge(ctx.db, { purpose: "register", challenge: options.challenge, userId: actor.userId, sessionId: actor.sessionId }, ctx.now);
  return { ok: true, options };
}

export type AddPasskeyResult = { ok: true; id: string; name: string } | { ok: false; code: "passkey_failed"; why: string };

/**
 * No fresh sign-in is asked again here: the challenge is the proof. It was issued only to a fresh
 * sign-in, to this session, for two minutes, and is used once; asking again would fail a person
 * who took a while at their authenticator's prompt, after the ceremony, with nothing to retry.
 */
export async function finishAddingPasskey(actor: Actor, input: { response: RegistrationResponseJSON }, ctx: ActionContext): Promise<AddPasskeyResult> {
  const challenge = await latestChallengeFor(actor, ctx);
  if (!challenge) return { ok: false, code: "passkey_failed", why: "The request to add a passkey expired. Please try again." };
  const rp = relyingParty(ctx);
  let verified;
  try {
    verified = await verifyRegistrationResponse({ response: input.response, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.rpID, requireUserVerification: true });
  } catch (error) {
    return { ok: false, code: "passkey_failed", why: reason(error) };
  }
  if (!verified.verified) return { ok: false, code: "passkey_failed", why: "The passkey could not be verified." };
  const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
  const name = describeDevice(ctx.client.userAgent);
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
  try {
    await savePasskey(ctx.db, {
    id: credential.id,
    userId: actor.userId,
    publicKey: b64url(credential.publicKey),
    counter: storableCounter(credential.counter),
    // As the browser reported them: checked, since the library passes them on as sent.
    transports: Array.isArray(credential.transports) ? credential.transports.filter((t) => typeof t === "string" && /^[a-z-]{1,16}$/.test(t)).slice(0, 8).join(",") || null : null,
    deviceType: credentialDeviceType,
    backedUp: credentialBackedUp,
    name,
    createdAt: ctx.now,
    });
  } catch (error) {
    // The same credential twice (a registration answer sent again): it is already saved.
    if (isPrismaError(error, "P2002")) return { ok: false, code: "passkey_failed", why: "This passkey is already on an account." };
    throw error;
  }
  await ctx.db.$transaction([queue(ctx.db, mails.passkeyChanged(user.email, { added: true, name }, circumstancesOf(ctx), ctx.config.appOrigin), ctx)]);
  sendQueuedMail();
  await record(ctx, { ...actor, type: "passkey_added", detail: name });
  return { ok: true, id: credential.id, name };
}

/** The registration challenge this session asked for, taken once (the newest unused one). */
async function latestChallengeFor(actor: Actor, ctx: ActionContext): Promise<string | null> {
  const row = await ctx.db.webAuthnChallenge.findFirst({
    where: { purpose: "register", sessionId: actor.sessionId, usedAt: null, expiresAt: { gt: ctx.now } },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (!row) return null;
  return (await takeChallenge(ctx.db, { id: row.id, purpose: "register", sessionId: actor.sessionId }, ctx.now))?.challenge ?? null;
}

export async function renameOwnPasskey(actor: Actor, input: { id: string; name: string }, ctx: ActionContext): Promise<{ ok: true } | { ok: false; code: "passkey_not_found" }> {
  return (await renamePasskey(ctx.db, actor.userId, input.id, input.name)) ? { ok: true } : { ok: false, code: "passkey_not_found" };
}

/** Removing a passkey: a fresh sign-in, never the account's last way in, mailed and recorded. */
export async function removeOwnPasskey(actor: Actor, input: { id: string }, ctx: ActionContext): Promise<{ ok: true } | NeedsFreshSignIn | { ok: false; code: "passkey_not_found" | "last_way_in" }> {
  const stale = await needsFreshSignIn(actor, ctx);
  if (stale) return stale;
  const passkey = await findPasskey(ctx.db, input.id);
  if (!passkey || passkey.userId !== actor.userId) return { ok: false, code: "passkey_not_found" };
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
  const removed = await ctx.db.$transaction(async (tx) => {
    await holdAccount(tx, actor.userId);
    if ((await waysIn(tx, actor.userId)).total <= 1) return false;
    await removePasskeyStatement(tx, actor.userId, input.id);
    await queue(tx, mails.passkeyChanged(user.email, { added: false, name: passkey.name }, circumstancesOf(ctx), ctx.config.appOrigin), ctx);
    return true;
  });
  if (!removed) return { ok: false, code: "last_way_in" };
  sendQueuedMail();
  await record(ctx, { ...actor, type: "passkey_removed", detail: passkey.name });
  return { ok: true };
}

/** Options for navigator.credentials.get() (any of the person's passkeys: discoverable), bound to this browser's cookie. */
export async function startPasskeySignIn(browserNonce: string, ctx: ActionContext): Promise<{ ok: true; options: unknown } | RateLimited> {
  const taken = await takePasskeyChallenge(ctx.db, ctx.client.ip, ctx.config.limits, ctx.now);
  if (!taken.ok) return { ok: false, code: "rate_limited", retryAfterSeconds: taken.retryAfterSeconds };
  const options = await generateAuthenticationOptions({ rpID: relyingParty(ctx).rpID, userVerification: "required", allowCredentials: [] });
  await saveChallenge(ctx.db, { purpose: "authenticate", challenge: options.challenge, browser: hashNonce(browserNonce) }, ctx.now);
  return { ok: true, options };
}

const hashNonce = (nonce: string) => createHash("sha256").update(nonce).digest("base64url");

/** The challenge an answer signed, from its clientDataJSON (verified properly later); null if unreadable. */
function signedChallenge(response: AuthenticationResponseJSON): string | null {
  try {
    const clientData = JSON.parse(Buffer.from(response.response.clientDataJSON, "base64url").toString("utf8")) as { challenge?: unknown };
    return typeof clientData.challenge === "string" && /^[A-Za-z0-9_-]{16,128}$/.test(clientData.challenge) ? clientData.challenge : null;
  } catch {
    return null;
  }
}

type PasskeyFailed = { ok: false; code: "passkey_failed"; why: string };
const failed = (why: string): PasskeyFailed => ({ ok: false, code: "passkey_failed", why });

export type PasskeySignInResult = SignedIn | PasskeyFailed | AccountLocked;

export async function finishPasskeySignIn(
  input: { browserNonce: string; response: AuthenticationResponseJSON; browser?: HeldByBrowser; remember: boolean },
  ctx: ActionContext,
): Promise<PasskeySignInResult> {
  const challenge = signedChallenge(input.response);
  if (!challenge || !(await takeSignInChallenge(ctx.db, { challenge, browser: hashNonce(input.browserNonce) }, ctx.now))) {
    return failed("This sign-in expired. Please try again.");
  }
  const checked = await checkAssertion(input.response, challenge, ctx);
  if (!checked.ok) return checked;
  const issued = await createSessionIfUnlocked(ctx.db, { userId: checked.passkey.userId, persistent: input.remember, amr: checked.amr, ...ctx.client }, ctx.config, ctx.now);
  if (!issued) return accountLocked(ctx.config);
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: checked.passkey.userId }, select: { id: true, email: true } });
  return signedInWith(user, issued, ctx, { browser: input.browser, mailIfNew: true });
}

/** Whether the account has a passkey to confirm it's you with (the prompt offers it then). */
export async function canConfirmWithPasskey(actor: Actor, ctx: ActionContext): Promise<boolean> {
  return (await ctx.db.passkey.count({ where: { userId: actor.userId } })) > 0;
}

/**
 * Options for `navigator.credentials.get()` offering one account's passkeys only (user
 * verification required), counted against the per-IP passkey limit, as at sign-in: the caller
 * stores the challenge, bound to what it belongs to.
 */
async function optionsForAccount(userId: string, ctx: ActionContext) {
  const passkeys = await listPasskeys(ctx.db, userId);
  if (passkeys.length === 0) return { ok: false as const, code: "passkey_not_found" as const };
  const taken = await takePasskeyChallenge(ctx.db, ctx.client.ip, ctx.config.limits, ctx.now);
  if (!taken.ok) return { ok: false as const, code: "rate_limited" as const, retryAfterSeconds: taken.retryAfterSeconds };
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(ctx).rpID,
    userVerification: "required",
    allowCredentials: passkeys.map((p) => ({ id: p.id, transports: transportsOf(p) })),
    timeout: CEREMONY_TIMEOUT_MS,
  });
  return { ok: true as const, options };
}

/**
 * Options for confirming it's you with one of this account's passkeys (only those are offered).
 * The challenge is this session's; challenges count against the per-IP passkey limit, as at
 * sign-in, so a session cannot fill the table either.
 */
export async function startConfirmingWithPasskey(actor: Actor, ctx: ActionContext): Promise<{ ok: true; options: unknown } | RateLimited | { ok: false; code: "passkey_not_found" }> {
  const asked = await optionsForAccount(actor.userId, ctx);
  if (!asked.ok) return asked;
  const { options } = asked;
  await saveChallenge(ctx.db, { purpose: "reauthenticate", challenge: options.challenge, userId: actor.userId, sessionId: actor.sessionId }, ctx.now);
  return { ok: true, options };
}

/**
 * A passkey of this account, verified by its device, makes this session's sign-in fresh: enough
 * on its own, with two-step sign-in on or not, as at sign-in. A failure is recorded like a wrong
 * password here.
 */
export async function finishConfirmingWithPasskey(actor: Actor, input: { response: AuthenticationResponseJSON }, ctx: ActionContext): Promise<{ ok: true } | PasskeyFailed> {
  const challenge = signedChallenge(input.response);
  if (!challenge || !(await takeReauthChallenge(ctx.db, { challenge, sessionId: actor.sessionId }, ctx.now))) {
    return failed("This request expired. Please try again.");
  }
  const checked = await checkAssertion(input.response, challenge, ctx, actor.userId);
  if (!checked.ok) {
    await record(ctx, { ...actor, type: "reauthentication_failed", detail: "passkey refused" });
    return checked;
  }
  await markSignInFresh(actor, checked.amr, ctx);
  return { ok: true };
}

/** Whether the account a pending sign-in belongs to has a passkey to finish it with (its page offers one then). */
export async function secondStepOffersPasskey(pendingToken: string, ctx: ActionContext): Promise<boolean> {
  const pending = await findPendingSignIn(ctx.db, pendingToken, ctx.now);
  return !!pending && (await ctx.db.passkey.count({ where: { userId: pending.userId } })) > 0;
}

/**
 * A passkey as the second step of a sign-in (instead of the app's code): options offering that
 * account's passkeys only, the challenge bound to the pending sign-in's cookie, two minutes.
 * Limited per IP like sign-in's challenges.
 */
export async function startPasskeySecondStep(pendingToken: string, ctx: ActionContext): Promise<{ ok: true; options: unknown } | RateLimited | { ok: false; code: "passkey_not_found" | "sign_in_expired" }> {
  const pending = await findPendingSignIn(ctx.db, pendingToken, ctx.now);
  if (!pending) return { ok: false, code: "sign_in_expired" };
  const asked = await optionsForAccount(pending.userId, ctx);
  if (!asked.ok) return asked;
  const { options } = asked;
  await saveChallenge(ctx.db, { purpose: "second_step", challenge: options.challenge, userId: pending.userId, browser: pendingBinding(pendingToken) }, ctx.now);
  return { ok: true, options };
}

/**
 * The passkey's answer finishes the pending sign-in — applying a password reset waiting on it — as
 * a right code would. Only that account's passkeys count; a refusal is recorded.
 */
export async function finishPasskeySecondStep(
  input: { pendingToken: string; response: AuthenticationResponseJSON; browser?: HeldByBrowser },
  ctx: ActionContext,
): Promise<SignedIn | AccountLocked | PasskeyFailed | { ok: false; code: "sign_in_expired" }> {
  const pending = await findPendingSignIn(ctx.db, input.pendingToken, ctx.now);
  if (!pending) return { ok: false, code: "sign_in_expired" };
  const challenge = signedChallenge(input.response);
  if (!challenge || !(await takeSecondStepChallenge(ctx.db, { challenge, pending: pendingBinding(input.pendingToken) }, ctx.now))) {
    return failed("This request expired. Please try again.");
  }
  const checked = await checkAssertion(input.response, challenge, ctx, pending.userId);
  if (!checked.ok) {
    await record(ctx, { userId: pending.userId, type: "second_factor_failed", detail: "passkey refused" });
    return checked;
  }
  return finishPendingSignIn(pending, `${firstFactorOf(pending)},${checked.amr}`, input.browser, ctx);
}

/**
 * Checks an answer to a challenge already taken: the passkey is known (and `ownerId`'s, when
 * given), its signature, origin, RP ID and user verification are right, and its counter moves on
 * (a compare-and-swap on the value checked). Also says how it proved who it is (RFC 8176 amr).
 */
async function checkAssertion(
  response: AuthenticationResponseJSON,
  challenge: string,
  ctx: ActionContext,
  ownerId?: string,
): Promise<{ ok: true; passkey: PasskeyRow; amr: string } | PasskeyFailed> {
  const passkey = await findPasskey(ctx.db, response.id);
  if (!passkey) return failed("This passkey is not known here. It may have been removed from the account.");
  if (ownerId !== undefined && passkey.userId !== ownerId) return failed("This passkey is not one of your account's.");
  // WebAuthn L3 §7.2: the account the authenticator names (the user handle given at registration)
  // must own the credential — required when no account was named in the options (a discoverable
  // sign-in), checked whenever it is sent.
  const handle = response.response.userHandle;
  if ((ownerId === undefined && !handle) || (handle && handle !== userHandleOf(passkey.userId))) {
    return failed("This passkey belongs to another account.");
  }
  const rp = relyingParty(ctx);
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: { id: passkey.id, publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")), counter: passkey.counter, transports: transportsOf(passkey) },
      requireUserVerification: true,
    });
  } catch (error) {
    log().warn({ requestId: ctx.requestId, event: "passkey_refused", reason: reason(error) }, "security event");
    return failed(reason(error));
  }
  if (!verified.verified) return failed("The passkey could not be verified.");
  const info = verified.authenticationInfo;
  if (!(await recordPasskeyUse(ctx.db, { id: passkey.id, checkedCounter: passkey.counter, newCounter: storableCounter(info.newCounter), backedUp: info.credentialBackedUp }, ctx.now))) {
    return failed("This passkey was just used. Please try again.");
  }
  // A key in hardware (this device only) or a synced one; user verification makes two factors.
  return { ok: true, passkey, amr: `${info.credentialDeviceType === "singleDevice" ? "hwk" : "swk"},mfa` };
}

/** The user handle a passkey was registered with (the account id's bytes), as an assertion sends it: base64url. */
const userHandleOf = (userId: string) => Buffer.from(userId, "utf8").toString("base64url");

/** As stored: the transports the browser reported at registration, comma-separated. */
const transportsOf = (passkey: { transports: string | null }) => passkey.transports?.split(",").filter(Boolean);

/** Signature counters are unsigned 32-bit; the column is a signed 32-bit integer. */
function storableCounter(counter: number): number {
  return Math.min(Math.max(0, counter), 2 ** 31 - 1);
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/user verification/i.test(message)) return "Your device did not confirm it was you (PIN, fingerprint or face). Please try again.";
  return "The passkey could not be verified. Please try again.";
}
