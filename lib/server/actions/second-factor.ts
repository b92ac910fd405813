// Checking a second-step code — an authenticator app's, or a recovery code — for the sign-in's
// second step and for confirming it's you (fresh-sign-in.ts). Node only.
//
// Every code is taken from its limits first (limits.ts: per account and place; per account from
// places the account does not know), and counted in a row per account: a right one sets the count
// back, and at SECOND_FACTOR_MAX_FAILURES the password stops working — whoever knows it is
// guessing codes — and the owner is mailed a link to choose another.
import "server-only";
import type { DbOrTx } from "@/lib/db";
import { generateLinkToken } from "@/lib/server/email-secrets";
import { limitPlace, settleRightCode, signedInFrom, takeSecondFactorCheck, type CodePlace } from "@/lib/server/limits";
import { log } from "@/lib/server/log";
import { mails } from "@/lib/server/mail/mails";
import { hashPassword } from "@/lib/server/password";
import { matchingStep, normaliseRecoveryCode, openSecret, recoveryCodeHashes, sealSecret } from "@/lib/server/totp";
import { LIFETIME_MINUTES, newChallenge } from "@/lib/server/store/challenges";
import { devicePlace, isKnownDevice } from "@/lib/server/store/devices";
import { getTotpFactor, resealFactor, takeRecoveryCode, takeTotpStep } from "@/lib/server/store/two-factor";
import { record, type ActionContext, type RateLimited } from "./context";
import { circumstancesOf, queue, sendQueuedMail } from "./mail";

export type { CodePlace };

/**
 * The place a code is counted under: this session when confirming it's you (a browser signed in
 * to the account); a browser the account knows; an address it signed in from in the last 30 days;
 * else the address, as a stranger.
 */
export async function codePlaceOf(userId: string, from: { sessionId?: string; deviceId?: string }, ctx: ActionContext): Promise<CodePlace> {
  if (from.sessionId) return { userId, place: `session:${from.sessionId}`, known: true };
  if (from.deviceId && (await isKnownDevice(ctx.db, userId, from.deviceId))) return { userId, place: devicePlace(from.deviceId), known: true };
  return { userId, place: `ip:${limitPlace(ctx.client.ip)}`, known: await signedInFrom(ctx.db, userId, ctx.client.ip, ctx.now) };
}

/** Takes one try from the code's limits, before it is compared; the refusal to answer with, or null. */
export async function takeCodeCheck(at: CodePlace, ctx: ActionContext): Promise<RateLimited | null> {
  const taken = await takeSecondFactorCheck(ctx.db, at, ctx.config.limits, ctx.now);
  return taken.ok ? null : { ok: false, code: "rate_limited", retryAfterSeconds: taken.retryAfterSeconds };
}

/**
 * The app's key, or null when no key of the REFRESH_TOKEN_KEY ring opens it (a key retired too
 * soon: logged, and answered like a wrong code, never a 500). Sealed with an earlier key of the
 * ring, it is sealed again with the current one on the way (a compare-and-swap: best effort).
 */
export async function readableSecret(userId: string, sealed: string, ctx: ActionContext): Promise<string | null> {
  let opened;
  try {
    opened = openSecret(sealed, ctx.config);
  } catch (error) {
    log().error({ err: error, userId }, "an authenticator key cannot be read: no key of REFRESH_TOKEN_KEY opens it (docs/deploying.md)");
    return null;
  }
  if (!opened.current) await resealFactor(ctx.db, userId, sealed, sealSecret(opened.secret, ctx.config));
  return opened.secret;
}

/**
 * What a code proved: the app (its time step, once), a recovery code (once; how many are left),
 * or nothing. `uncounted`: a right code used already (a double submit, two devices in one time
 * step) or an app key the server cannot read — neither a guess, so neither counts toward the run
 * of wrong codes that switches the password off.
 */
export type CodeProof = { proved: "app" } | { proved: "recovery"; left: number } | { proved: false; uncounted?: true };

/**
 * Compares a code with the account's app and its unused recovery codes, using what it matches up.
 * No limits here: the caller took the try (takeCodeCheck) and settles it (settleCode). A recovery
 * code used is mailed to the owner, with how many are left, in the transaction that uses it.
 */
export async function checkCode(userId: string, code: string, ctx: ActionContext): Promise<CodeProof> {
  const factor = await getTotpFactor(ctx.db, userId);
  if (!factor?.confirmedAt) return { proved: false };
  const secret = await readableSecret(userId, factor.secret, ctx);
  const step = secret ? matchingStep(secret, code.replace(/\s/g, ""), ctx.now) : null;
  if (step !== null) return (await takeTotpStep(ctx.db, userId, step)) ? { proved: "app" } : { proved: false, uncounted: true };
  const recovery = normaliseRecoveryCode(code);
  if (!recovery) return secret ? { proved: false } : { proved: false, uncounted: true };
  const hashes = recoveryCodeHashes(userId, recovery, ctx.config);
  const left = await ctx.db.$transaction(async (tx) => {
    const remaining = await takeRecoveryCode(tx, userId, hashes, ctx.now);
    if (remaining === null) return null;
    const owner = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
    await queue(tx, mails.recoveryCodeUsed(owner.email, { left: remaining, circumstances: circumstancesOf(ctx) }, ctx.config.appOrigin), ctx);
    return remaining;
  });
  if (left === null) return secret ? { proved: false } : { proved: false, uncounted: true };
  sendQueuedMail();
  return { proved: "recovery", left };
}

/**
 * After a code was compared: a right one gives its try back and ends the run of wrong ones; a
 * wrong one lengthens the run, and at the ceiling the password stops working.
 */
export async function settleCode(at: CodePlace, proof: CodeProof, ctx: ActionContext): Promise<void> {
  if (proof.proved) {
    await settleRightCode(ctx.db, at);
    await ctx.db.user.updateMany({ where: { id: at.userId, secondFactorFailures: { gt: 0 } }, data: { secondFactorFailures: 0 } });
    return;
  }
  if (proof.uncounted) return;
  const counted = await ctx.db.user.update({ where: { id: at.userId }, data: { secondFactorFailures: { increment: 1 } }, select: { secondFactorFailures: true } });
  if (counted.secondFactorFailures >= ctx.config.secondFactorMaxFailures) await stopPassword(at.userId, counted.secondFactorFailures, ctx);
}

/**
 * The ceiling of wrong codes in a row: the password is switched off (a hash of a secret nobody
 * holds), waiting sign-ins end, and the owner is mailed a reset link, which asks for the second
 * factor too. Of racing requests that all reach the ceiling, one does it (a compare-and-swap on
 * the count, set back to zero). Sessions, passkeys and the app are left as they are.
 */
async function stopPassword(userId: string, failures: number, ctx: ActionContext): Promise<void> {
  const { config, now } = ctx;
  const voided = await hashPassword(generateLinkToken(), config);
  const stopped = await ctx.db.$transaction(async (tx: DbOrTx) => {
    const { count } = await tx.user.updateMany({
      where: { id: userId, secondFactorFailures: { gte: config.secondFactorMaxFailures } },
      data: { secondFactorFailures: 0 },
    });
    if (count !== 1) return null;
    await tx.pendingSignIn.deleteMany({ where: { userId } });
    const owner = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, passwordHash: true } });
    // An account without a password was reached through a provider: there is nothing to switch
    // off (a hash of a secret nobody holds would count as a way in), so the owner is told which
    // door is open instead.
    if (owner.passwordHash === null) {
      await queue(tx, mails.codesGuessed(owner.email, { failures }, config.appOrigin), ctx);
      return "told" as const;
    }
    await tx.user.update({ where: { id: userId }, data: { passwordHash: voided } });
    const reset = newChallenge(tx, { purpose: "password_reset", email: owner.email, userId }, config, now);
    await reset.statement;
    await queue(tx, mails.passwordStopped(owner.email, { token: reset.secret, minutes: LIFETIME_MINUTES.password_reset, failures }, config.appOrigin), ctx);
    return "stopped" as const;
  });
  if (!stopped) return;
  sendQueuedMail();
  if (stopped === "told") return record(ctx, { userId, type: "second_factor_failed", detail: `${failures} wrong codes in a row, after a provider's sign-in` });
  await record(ctx, { userId, type: "password_stopped", detail: `${failures} wrong codes in a row` });
}

/**
 * A code for an account outside a sign-in (confirming it's you, from `sessionId`): taken from the
 * limits, compared, settled.
 */
export async function proveSecondFactor(userId: string, code: string, ctx: ActionContext, from: { sessionId: string }): Promise<"proved" | "wrong" | RateLimited> {
  const at = await codePlaceOf(userId, from, ctx);
  const limited = await takeCodeCheck(at, ctx);
  if (limited) return limited;
  const proof = await checkCode(userId, code, ctx);
  await settleCode(at, proof, ctx);
  return proof.proved ? "proved" : "wrong";
}
