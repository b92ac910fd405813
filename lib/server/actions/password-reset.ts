// A way back in for a person who forgot their password: a single-use link mailed to the address.
// Node only.
//
// Asking answers the same for any address. Opening the link only shows a form (mail scanners
// fetch links; they must not use the token up); submitting a new password uses it. Then:
// - with two-step sign-in on, nothing changes yet: the new password waits on a pending sign-in and
//   is stored only when its second step is proved (a code, a recovery code or a passkey), so a
//   reader of the mailbox alone changes nothing and signs nobody out;
// - otherwise (or once proved) the password is replaced, every session ends, "your password was
//   changed" is mailed, and the person is signed in here;
// - an address proved here for the first time (an account from before addresses were verified)
//   may have been squatted: what was enrolled before this proof — passkeys, an app, remembered
//   browsers — goes, so whoever made the account cannot keep a way in.
import "server-only";
import type { HeldByBrowser } from "@/lib/edge/cookies";
import type { DbOrTx } from "@/lib/db";
import { takeMailAttempt } from "@/lib/server/limits";
import { mails } from "@/lib/server/mail/mails";
import { hashPassword } from "@/lib/server/password";
import { findByToken, LIFETIME_MINUTES, newChallenge, spendUndoLinksRestoringStatement, useChallenge, voidResetLinksStatement } from "@/lib/server/store/challenges";
import { endOtherSessionsStatement } from "@/lib/server/store/sessions";
import { createPendingSignIn, getTotpFactor } from "@/lib/server/store/two-factor";
import { accountLocked, record, sessionsEnded, type AccountLocked, type ActionContext, type RateLimited } from "./context";
import { circumstancesOf, queue, sendQueuedMail } from "./mail";
import { refuseWeakPassword, type WeakPassword } from "./new-password";
import { startSession, type SecondFactorRequired, type SignedIn } from "./sign-in";

export async function requestPasswordReset(input: { email: string }, ctx: ActionContext): Promise<{ ok: true } | RateLimited> {
  const { db, config, now } = ctx;
  const taken = await takeMailAttempt(db, { email: input.email, ip: ctx.client.ip, purpose: "password_reset" }, config.limits, now);
  if (!taken.ok) return { ok: false, code: "rate_limited", retryAfterSeconds: taken.retryAfterSeconds };
  const user = await db.user.findUnique({ where: { email: input.email }, select: { id: true, lockedAt: true } });
  // No account, or a locked one (no reset until support unlocks it): nothing is sent and the
  // answer is the same, after the same work — a challenge written, a mail rendered — so its
  // timing does not tell either.
  const sends = !!user && !user.lockedAt;
  const challenge = newChallenge(db, { purpose: "password_reset", email: input.email, userId: user?.id ?? null, notice: !sends }, config, now);
  const mail = mails.passwordReset(input.email, { token: challenge.secret, minutes: LIFETIME_MINUTES.password_reset }, config.appOrigin);
  if (sends) await db.$transaction([challenge.statement, queue(db, mail, ctx)]);
  else await db.$transaction([challenge.statement]);
  if (!user || !sends) return { ok: true };
  sendQueuedMail();
  await record(ctx, { userId: user.id, type: "password_reset_requested" });
  return { ok: true };
}

/**
 * The address a reset link was mailed to, while the link still works (for the page that shows its
 * form: it names the account, and judges the new password against that address as the server
 * will). Null when it no longer works — as resetPassword would find it: also when the account has
 * left that address since. Uses nothing up.
 */
export async function resetLinkAddress(token: string, ctx: ActionContext): Promise<string | null> {
  const challenge = await findByToken(ctx.db, "password_reset", token, ctx.config, ctx.now);
  if (!challenge?.userId) return null;
  const owner = await ctx.db.user.findUnique({ where: { id: challenge.userId }, select: { email: true } });
  return owner?.email === challenge.email ? challenge.email : null;
}

export type ResetResult = SignedIn | SecondFactorRequired | AccountLocked | { ok: false; code: "link_expired" } | WeakPassword;

export async function resetPassword(input: { token: string; password: string; browser?: HeldByBrowser }, ctx: ActionContext): Promise<ResetResult> {
  const { db, config, now } = ctx;
  const challenge = await findByToken(db, "password_reset", input.token, config, now);
  if (!challenge?.userId) return { ok: false, code: "link_expired" };
  const userId = challenge.userId;
  const owner = await db.user.findUnique({ where: { id: userId }, select: { email: true, passwordHash: true, emailVerifiedAt: true, lockedAt: true } });
  // A link mailed to an address the account has since left proves nothing about the account now.
  if (owner?.email !== challenge.email) return { ok: false, code: "link_expired" };
  if (owner.lockedAt) return accountLocked(config);
  // Checked before the link is used: a refused password leaves it working, to try another.
  const weak = await refuseWeakPassword(input.password, owner.email, config);
  if (weak) return weak;
  const newPasswordHash = await hashPassword(input.password, config);
  const provedLate = owner.emailVerifiedAt === null;
  const factor = await getTotpFactor(db, userId);

  if (factor?.confirmedAt && !provedLate) {
    // The mailbox is one factor: the new password waits for the second. The link is used up now
    // (by a compare-and-swap: of two submissions at once, one gets the pending sign-in).
    if (!(await useChallenge(db, challenge.id, now))) return { ok: false, code: "link_expired" };
    const waiting = await createPendingSignIn(db, { userId, persistent: false, passwordHash: owner.passwordHash, newPasswordHash, ...ctx.client }, now);
    return { ok: false, code: "second_factor_required", pendingToken: waiting.token, expiresAt: waiting.expiresAt };
  }

  const applied = await db.$transaction(async (tx) => {
    // The link is used up in the same transaction, by a compare-and-swap: of two submissions at
    // once, the second finds it used and changes nothing.
    if (!(await useChallenge(tx, challenge.id, now))) return null;
    return applyNewPassword(tx, { userId, checkedHash: owner.passwordHash, newPasswordHash, provedLate }, ctx);
  });
  if (!applied) return { ok: false, code: "link_expired" };
  return finishReset(userId, applied, input.browser, ctx);
}

export type AppliedReset = { ended: number; email: string; provedLate: boolean };

/**
 * A reset's new password, proved by its link (and, with two-step sign-in on, by its second step):
 * stored where the password is still the one the reset saw, with every session ended, every other
 * reset link void, undo links that would only give back this very address spent, the address
 * marked proved and the owner told — all in the caller's transaction. For an address proved
 * here for the first time, what was enrolled before goes too. Null when the password changed
 * meanwhile (that change wins).
 */
export async function applyNewPassword(
  tx: DbOrTx,
  input: { userId: string; checkedHash: string | null; newPasswordHash: string; provedLate: boolean },
  ctx: ActionContext,
): Promise<AppliedReset | null> {
  const { userId } = input;
  const { now } = ctx;
  const changed = await tx.user.updateMany({
    where: { id: userId, passwordHash: input.checkedHash, lockedAt: null },
    data: { passwordHash: input.newPasswordHash, emailVerifiedAt: now, secondFactorFailures: 0 },
  });
  if (changed.count !== 1) return null;
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  const ended = await endOtherSessionsStatement(tx, { userId, keepSessionId: null }, "password_changed", now);
  await voidResetLinksStatement(tx, userId, now);
  await spendUndoLinksRestoringStatement(tx, userId, user.email, now);
  if (input.provedLate) {
    await tx.passkey.deleteMany({ where: { userId } });
    await tx.totpFactor.deleteMany({ where: { userId } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.knownDevice.deleteMany({ where: { userId } });
    await tx.providerIdentity.deleteMany({ where: { userId } });
    await tx.pendingSignIn.deleteMany({ where: { userId } });
  }
  await queue(tx, mails.passwordChanged(user.email, circumstancesOf(ctx), ctx.config.appOrigin), ctx);
  return { ended: ended.count, email: user.email, provedLate: input.provedLate };
}

/** After the new password is stored: the mail sent, the activity recorded, and (no second step) a session here. */
async function finishReset(userId: string, applied: AppliedReset, browser: HeldByBrowser | undefined, ctx: ActionContext): Promise<SignedIn | AccountLocked> {
  sendQueuedMail();
  await recordReset(userId, applied, ctx);
  return startSession({ id: userId, email: applied.email }, false, ctx, browser);
}

export async function recordReset(userId: string, applied: AppliedReset, ctx: ActionContext): Promise<void> {
  const detail = [applied.ended > 0 ? sessionsEnded(applied.ended) : null, applied.provedLate ? "address proved for the first time: passkeys, two-step sign-in and browsers from before were removed" : null];
  await record(ctx, { userId, type: "password_reset", detail: detail.filter(Boolean).join("; ") || null });
}
