// Signing in with an email and a password. Node only.
import "server-only";
import { settleSuccessfulSignIn, takeSignInAttempt } from "@/lib/server/limits";
import { log } from "@/lib/server/log";
import { metrics } from "@/lib/server/metrics";
import { pruneNowAndThen } from "@/lib/server/store/prune";
import { createSessionIfPasswordUnchanged, createSessionIfUnlocked, type IssuedRefreshToken } from "@/lib/server/store/sessions";
import { rehashPassword, verifyUserPassword, type PublicUser } from "@/lib/server/store/users";
import { issueTokens, type IssuedTokens } from "@/lib/server/tokens";
import { deviceCookie, type HeldByBrowser } from "@/lib/edge/cookies";
import { mails } from "@/lib/server/mail/mails";
import { looksLikeDeviceId, newDeviceId, rememberDevice } from "@/lib/server/store/devices";
import { createPendingSignIn, getTotpFactor } from "@/lib/server/store/two-factor";
import { circumstancesOf, queue, sendQueuedMail } from "./mail";
import { noteHeldSession } from "./replaced-session";
import { accountLocked, record, type AccountLocked, type ActionContext, type RateLimited } from "./context";

export type SignedIn = { ok: true; user: PublicUser; tokens: IssuedTokens };

/** The password was right and the account has a second factor: a code finishes the sign-in. */
export type SecondFactorRequired = { ok: false; code: "second_factor_required"; pendingToken: string; expiresAt: Date };

export type SignInResult = SignedIn | RateLimited | SecondFactorRequired | AccountLocked | { ok: false; code: "invalid_credentials" };

/**
 * The attempt is taken from every limit *before* the password is compared, so guesses sent at
 * the same moment cannot all slip under the limit; a right password gives it back.
 */
export async function signIn(
  input: { email: string; password: string; remember: boolean; browser?: HeldByBrowser },
  ctx: ActionContext,
): Promise<SignInResult> {
  const { db, config, now } = ctx;
  const who = { email: input.email, ip: ctx.client.ip };
  const taken = await takeSignInAttempt(db, who, config.limits, now);
  if (!taken.ok) {
    metrics().signIns.inc({ outcome: "limited" });
    return { ok: false, code: "rate_limited", retryAfterSeconds: taken.retryAfterSeconds };
  }

  const user = await verifyUserPassword(db, input, config);
  // One answer for an unknown email and a wrong password: nothing reveals who has an account.
  if (!user) {
    metrics().signIns.inc({ outcome: "wrong_password" });
    return { ok: false, code: "invalid_credentials" };
  }
  await settleSuccessfulSignIn(db, who);
  // Only someone with the password learns the account is locked, and whom to ask.
  if (user.locked) {
    metrics().signIns.inc({ outcome: "locked" });
    return accountLocked(config);
  }

  // With a second factor, no session yet: a pending sign-in that a code finishes (two-factor.ts).
  const factor = await getTotpFactor(db, user.id);
  if (factor?.confirmedAt) {
    metrics().signIns.inc({ outcome: "second_factor_required" });
    const pending = await createPendingSignIn(db, { userId: user.id, persistent: input.remember, passwordHash: user.passwordHash, ...ctx.client }, now);
    return { ok: false, code: "second_factor_required", pendingToken: pending.token, expiresAt: pending.expiresAt };
  }

  // Only while the password is still the one just checked: a change racing this sign-in wins.
  const issued = await createSessionIfPasswordUnchanged(
    db,
    { userId: user.id, persistent: input.remember, passwordHash: user.passwordHash, ...ctx.client },
    config,
    now,
  );
  if (!issued) {
    // The password changed, or the account was locked, since it was checked: a change wins.
    metrics().signIns.inc({ outcome: "password_changed_meanwhile" });
    return { ok: false, code: "invalid_credentials" };
  }
  metrics().signIns.inc({ outcome: "ok" });
  if (user.stale) await rehashInPassing(user.id, input.password, user.passwordHash, ctx);
  return signedInWith({ id: user.id, email: user.email }, issued, ctx, { browser: input.browser, mailIfNew: true });
}

/**
 * A stronger hash of the password just proved, stored only if the stored one is still the one
 * checked (a password change in between wins). Best effort: the person is signed in either way,
 * and the next sign-in tries again.
 */
async function rehashInPassing(userId: string, password: string, checkedHash: string, ctx: ActionContext): Promise<void> {
  try {
    await rehashPassword(ctx.db, { userId, password, checkedHash }, ctx.config);
  } catch (error) {
    log().error({ err: error, userId }, "could not rehash a password at a stronger cost (will try at the next sign-in)");
  }
}

/**
 * A new session for a person who just proved their address (a new account, a password reset): its
 * cookies, recorded as a sign-in. The browser becomes a known device without a "new sign-in" mail.
 */
export async function startSession(user: PublicUser, persistent: boolean, ctx: ActionContext, browser?: HeldByBrowser): Promise<SignedIn | AccountLocked> {
  const issued = await createSessionIfUnlocked(ctx.db, { userId: user.id, persistent, ...ctx.client }, ctx.config, ctx.now);
  if (!issued) return accountLocked(ctx.config);
  return signedInWith(user, issued, ctx, { browser, mailIfNew: false });
}

/**
 * Everything a new session means, however it was proved (password, second step, passkey, a code
 * or link from a mail): the sign-in is recorded, the browser remembered, the tokens issued, and
 * the session this browser held before set to end (whoever's it was: a browser holds one session
 * at a time, and a replaced one must not live on unseen) once the new one's first refresh shows
 * the browser has it.
 */
export async function signedInWith(
  user: PublicUser,
  issued: IssuedRefreshToken,
  ctx: ActionContext,
  how: { browser?: HeldByBrowser; mailIfNew: boolean },
): Promise<SignedIn> {
  await record(ctx, { userId: user.id, sessionId: issued.session.id, type: "signed_in" });
  const held = how.browser?.deviceId;
  const deviceId = looksLikeDeviceId(held) ? held : newDeviceId();
  await recognise(user, deviceId, how.mailIfNew, ctx);
  pruneNowAndThen(ctx.db, ctx.now);
  const tokens = await issueTokens(issued, ctx.config, ctx.now);
  await noteHeldSession(how.browser?.refreshToken, issued.session.id, ctx);
  // The device cookie is renewed at every sign-in, so a browser in use is never forgotten.
  return { ok: true, user, tokens: { ...tokens, cookies: [...tokens.cookies, deviceCookie(deviceId, ctx.config)] } };
}

/** Remembers the browser; a browser the account has not seen before gets its owner a mail. */
async function recognise(user: PublicUser, deviceId: string, mailIfNew: boolean, ctx: ActionContext): Promise<void> {
  const mailed = await ctx.db.$transaction(async (tx) => {
    const isNew = await rememberDevice(tx, user.id, deviceId, ctx.now);
    if (!isNew || !mailIfNew) return false;
    await queue(tx, mails.newSignIn(user.email, circumstancesOf(ctx), ctx.config.appOrigin), ctx);
    return true;
  });
  if (mailed) sendQueuedMail();
}
