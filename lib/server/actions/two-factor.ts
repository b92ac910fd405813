// A second factor: an authenticator app's codes, with recovery codes for a lost app. Node only.
//
// Setting it up, turning it off and making new recovery codes need a fresh sign-in. With it on, a
// right password leads to a pending sign-in (no token exists yet) that a code finishes.
import "server-only";
import type { HeldByBrowser } from "@/lib/edge/cookies";
import QRCode from "qrcode";
import { mails } from "@/lib/server/mail/mails";
import { matchingStep, newRecoveryCodes, newTotpSecret, otpauthUrl, sealSecret, storedRecoveryCodes } from "@/lib/server/totp";
import {
  confirmFactor,
  countRecoveryCodesLeft,
  getTotpFactor,
  removeSecondFactorStatements,
  replaceRecoveryCodesStatements,
  saveUnconfirmedFactor,
  SECOND_FACTOR_TRIES,
  tryPendingSignIn,
  usePendingSignIn,
  type PendingSignInRow,
} from "@/lib/server/store/two-factor";
import { isLocked } from "@/lib/server/store/users";
import { createSessionIfPasswordUnchanged, createSessionIfUnlocked } from "@/lib/server/store/sessions";
import { accountLocked, record, type AccountLocked, type ActionContext, type Actor, type RateLimited } from "./context";
import { needsFreshSignIn, type NeedsFreshSignIn } from "./fresh-sign-in";
import { checkCode, codePlaceOf, readableSecret, settleCode, takeCodeCheck } from "./second-factor";
import { applyNewPassword, recordReset } from "./password-reset";
import { tellOwnerOfUnfinishedSignIn } from "./unfinished-sign-ins";
import { circumstancesOf, queue, sendQueuedMail } from "./mail";
import { signedInWith, type SignedIn } from "./sign-in";

export type TwoFactorStatus = { on: boolean; recoveryCodesLeft: number };

export async function twoFactorStatus(actor: Actor, ctx: ActionContext): Promise<TwoFactorStatus> {
  const factor = await getTotpFactor(ctx.db, actor.userId);
  const on = !!factor?.confirmedAt;
  return { on, recoveryCodesLeft: on ? await countRecoveryCodesLeft(ctx.db, actor.userId) : 0 };
}

export type SetupStarted = { ok: true; secret: string; otpauthUrl: string; qrSvg: string };

/** A new secret for the app, shown as a QR code (an SVG drawn here: no outside service) and as text. */
export async function startTotpSetup(actor: Actor, ctx: ActionContext): Promise<SetupStarted | NeedsFreshSignIn | { ok: false; code: "two_factor_already_on" }> {
  const stale = await needsFreshSignIn(actor, ctx);
  if (stale) return stale;
  const existing = await getTotpFactor(ctx.db, actor.userId);
  if (existing?.confirmedAt) return { ok: false, code: "two_factor_already_on" };
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
  const secret = newTotpSecret();
  if (!(await saveUnconfirmedFactor(ctx.db, actor.userId, sealSecret(secret, ctx.config), ctx.now))) return { ok: false, code: "two_factor_already_on" };
  const url = otpauthUrl(secret, user.email);
  const qrSvg = await QRCode.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { ok: true, secret, otpauthUrl: url, qrSvg };
}

/** The app's first code turns it on; ten recovery codes are made and shown this once. */
export async function confirmTotpSetup(
  actor: Actor,
  input: { code: string },
  ctx: ActionContext,
): Promise<{ ok: true; recoveryCodes: string[] } | RateLimited | { ok: false; code: "code_incorrect" | "two_factor_not_started" }> {
  const limited = await takeCodeCheck(await codePlaceOf(actor.userId, { sessionId: actor.sessionId }, ctx), ctx);
  if (limited) return limited;
  const factor = await getTotpFactor(ctx.db, actor.userId);
  if (!factor || factor.confirmedAt) return { ok: false, code: "two_factor_not_started" };
  const secret = await readableSecret(actor.userId, factor.secret, ctx);
  const step = secret ? matchingStep(secret, input.code, ctx.now) : null;
  if (step === null) return { ok: false, code: "code_incorrect" };
  const codes = newRecoveryCodes();
  const stored = storedRecoveryCodes(actor.userId, codes, ctx.config);
  const confirmed = await ctx.db.$transaction(async (tx) => {
    if (!(await confirmFactor(tx, actor.userId, step, ctx.now))) return false;
    for (const statement of replaceRecoveryCodesStatements(tx, actor.userId, stored, ctx.now)) await statement;
    const owner = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
    await queue(tx, mails.twoFactorEnabled(owner.email, circumstancesOf(ctx), ctx.config.appOrigin), ctx);
    return true;
  });
  if (!confirmed) return { ok: false, code: "two_factor_not_started" };
  sendQueuedMail();
  await record(ctx, { ...actor, type: "two_factor_enabled" });
  return { ok: true, recoveryCodes: codes };
}

/** New recovery codes; the old ones stop working. */
export async function regenerateRecoveryCodes(actor: Actor, ctx: ActionContext): Promise<{ ok: true; recoveryCodes: string[] } | NeedsFreshSignIn | { ok: false; code: "two_factor_not_on" }> {
  const stale = await needsFreshSignIn(actor, ctx);
  if (stale) return stale;
  const factor = await getTotpFactor(ctx.db, actor.userId);
  if (!factor?.confirmedAt) return { ok: false, code: "two_factor_not_on" };
  const codes = newRecoveryCodes();
  const stored = storedRecoveryCodes(actor.userId, codes, ctx.config);
  const owner = await ctx.db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
  await ctx.db.$transaction([
    ...replaceRecoveryCodesStatements(ctx.db, actor.userId, stored, ctx.now),
    queue(ctx.db, mails.recoveryCodesRegenerated(owner.email, circumstancesOf(ctx), ctx.config.appOrigin), ctx),
  ]);
  sendQueuedMail();
  await record(ctx, { ...actor, type: "recovery_codes_regenerated" });
  return { ok: true, recoveryCodes: codes };
}

/** Turning the second factor off: a fresh sign-in, a mail, a security event. */
export async function disableTwoFactor(actor: Actor, ctx: ActionContext): Promise<{ ok: true } | NeedsFreshSignIn | { ok: false; code: "two_factor_not_on" }> {
  const stale = await needsFreshSignIn(actor, ctx);
  if (stale) return stale;
  const factor = await getTotpFactor(ctx.db, actor.userId);
  if (!factor?.confirmedAt) return { ok: false, code: "two_factor_not_on" };
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
  await ctx.db.$transaction([
    ...removeSecondFactorStatements(ctx.db, actor.userId),
    queue(ctx.db, mails.twoFactorDisabled(user.email, circumstancesOf(ctx), ctx.config.appOrigin), ctx),
  ]);
  sendQueuedMail();
  await record(ctx, { ...actor, type: "two_factor_disabled" });
  return { ok: true };
}

export type SecondStepResult =
  | (SignedIn & { recoveryCodesLeft?: number })
  | RateLimited
  | AccountLocked
  | { ok: false; code: "code_incorrect"; triesLeft: number }
  | { ok: false; code: "sign_in_expired" };

/**
 * The second step of a sign-in: an app code (each time step accepted once) or a recovery code
 * (each used once). Tries are counted on the pending sign-in before the code is checked, and on the
 * second-step limits (second-factor.ts); when they run out, or the pending sign-in expires, the
 * password is asked again and the owner is told (unfinished-sign-ins.ts).
 */
export async function finishSignInWithSecondFactor(
  input: { pendingToken: string; code: string; browser?: HeldByBrowser },
  ctx: ActionContext,
): Promise<SecondStepResult> {
  const { db, now } = ctx;
  const pending = await tryPendingSignIn(db, input.pendingToken, now);
  if (!pending) return { ok: false, code: "sign_in_expired" };
  const at = await codePlaceOf(pending.userId, { deviceId: input.browser?.deviceId }, ctx);
  const limited = await takeCodeCheck(at, ctx);
  if (limited) return limited;

  const proof = await checkCode(pending.userId, input.code, ctx);
  await settleCode(at, proof, ctx);
  if (!proof.proved) {
    await record(ctx, { userId: pending.userId, type: "second_factor_failed" });
    const triesLeft = Math.max(0, SECOND_FACTOR_TRIES - pending.attempts);
    // Out of tries: this pending sign-in is over without a right code.
    if (triesLeft === 0 && (await usePendingSignIn(db, pending.id, now))) await tellOwnerOfUnfinishedSignIn(pending, ctx);
    return { ok: false, code: "code_incorrect", triesLeft };
  }
  const amr = `${firstFactorOf(pending)},${proof.proved === "app" ? "otp,mfa" : "mfa"}`;
  const signedIn = await finishPendingSignIn(pending, amr, input.browser, ctx);
  return !signedIn.ok || proof.proved !== "recovery" ? signedIn : { ...signedIn, recoveryCodesLeft: proof.left };
}

/** How the first step was proved (RFC 8176): the password, or another provider (`fed`: no password was checked). */
export function firstFactorOf(pending: Pick<PendingSignInRow, "passwordHash" | "newPasswordHash">): "pwd" | "fed" {
  return pending.passwordHash === null && !pending.newPasswordHash ? "fed" : "pwd";
}

/**
 * A pending sign-in whose second step was proved (a code here, or a passkey: passkeys.ts): used up
 * once, its waiting password reset applied if it carries one, then a session — only while the
 * password is still the one checked at the first step (or the one just applied).
 */
export async function finishPendingSignIn(
  pending: PendingSignInRow,
  amr: string,
  browser: HeldByBrowser | undefined,
  ctx: ActionContext,
): Promise<SignedIn | AccountLocked | { ok: false; code: "sign_in_expired" }> {
  const { db, config, now } = ctx;
  let passwordHash = pending.passwordHash;
  if (pending.newPasswordHash) {
    const newPasswordHash = pending.newPasswordHash;
    const applied = await db.$transaction(async (tx) => {
      if (!(await usePendingSignIn(tx, pending.id, now))) return null;
      return applyNewPassword(tx, { userId: pending.userId, checkedHash: pending.passwordHash, newPasswordHash, provedLate: false }, ctx);
    });
    if (!applied) return { ok: false, code: "sign_in_expired" };
    sendQueuedMail();
    await recordReset(pending.userId, applied, ctx);
    passwordHash = newPasswordHash;
  } else if (!(await usePendingSignIn(db, pending.id, now))) {
    return { ok: false, code: "sign_in_expired" };
  }
  // A first step through another provider checked no password: there is no hash to guard.
  const issued =
    passwordHash === null
      ? await createSessionIfUnlocked(db, { userId: pending.userId, persistent: pending.persistent, amr, ...ctx.client }, config, now)
      : await createSessionIfPasswordUnchanged(db, { userId: pending.userId, persistent: pending.persistent, passwordHash, amr, ...ctx.client }, config, now);
  if (!issued) return (await isLocked(db, pending.userId)) ? accountLocked(config) : { ok: false, code: "sign_in_expired" };
  const user = await db.user.findUniqueOrThrow({ where: { id: pending.userId }, select: { id: true, email: true } });
  // A reset proved here mailed "password changed"; a sign-in from a browser the account has not seen mails that too.
  return signedInWith(user, issued, ctx, { browser, mailIfNew: !pending.newPasswordHash });
}
