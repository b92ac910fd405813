// A way back in for a person who forgot their password: a single-use link mailed to the address.
// Node only.
//
// Asking answers the same for any address. Opening the link only shows a form (mail scanners
// fetch links; they must not use the token up); submitting a new password uses it, ends every
// session of the account, mails "your password was changed", and signs the person in here.
import "server-only";
import type { HeldByBrowser } from "@/lib/edge/cookies";
import { takeMailAttempt } from "@/lib/server/limits";
import { mails } from "@/lib/server/mail/mails";
import { isPrismaError } from "@/lib/server/faults";
import { findByToken, LIFETIME_MINUTES, newChallenge, voidResetLinksStatement } from "@/lib/server/store/challenges";
import { replacePassword } from "@/lib/server/store/users";
import { record, sessionsEnded, type ActionContext, type RateLimited } from "./context";
import { circumstancesOf, queue, sendQueuedMail } from "./mail";
import { refuseWeakPassword, type WeakPassword } from "./new-password";
import { createPendingSignIn, getTotpFactor } from "@/lib/server/store/two-factor";
import { startSession, type SecondFactorRequired, type SignedIn } from "./sign-in";

export async function requestPasswordReset(input: { email: string }, ctx: ActionContext): Promise<{ ok: true } | RateLimited> {
  const { db, config, now } = ctx;
  const taken = await takeMailAttempt(db, { email: input.email, ip: ctx.client.ip, purpose: "password_reset" }, config.limits, now);
  if (!taken.ok) return { ok: false, code: "rate_limited", retryAfterSeconds: taken.retryAfterSeconds };
  const user = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  // No account: nothing is sent (there is nobody to tell) and the answer is the same, after the
  // same work — a challenge written, a mail rendered — so its timing does not tell either.
  const challenge = newChallenge(db, { purpose: "password_reset", email: input.email, userId: user?.id ?? null, notice: !user }, config.refreshTokenKey, now);
  const mail = mails.passwordReset(input.email, { token: challenge.secret, minutes: LIFETIME_MINUTES.password_reset }, config.appOrigin);
  if (user) await db.$transaction([challenge.statement, queue(db, mail, ctx)]);
  else await db.$transaction([challenge.statement]);
  if (!user) return { ok: true };
  sendQueuedMail();
  await record(ctx, { userId: user.id, type: "password_reset_requested" });
  return { ok: true };
}

/** Whether a reset link still works (for the page that shows its form). Uses nothing up. */
export async function resetLinkWorks(token: string, ctx: ActionContext): Promise<boolean> {
  return (await findByToken(ctx.db, "password_reset", token, ctx.config.refreshTokenKey, ctx.now)) !== null;
}

export type ResetResult = SignedIn | SecondFactorRequired | { ok: false; code: "link_expired" } | WeakPassword;

export async function resetPassword(input: { token: string; password: string; browser?: HeldByBrowser }, ctx: ActionContext): Promise<ResetResult> {
  const { db, config, now } = ctx;
  const challenge = await findByToken(db, "password_reset", input.token, config.refreshTokenKey, now);
  if (!challenge?.userId) return { ok: false, code: "link_expired" };
  const userId = challenge.userId;
  // A link mailed to an address the account has since left proves nothing about the account now.
  const owner = await db.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (owner?.email !== challenge.email) return { ok: false, code: "link_expired" };
  // Checked before the link is used: a refused password leaves it working, to try another.
  const weak = refuseWeakPassword(input.password, owner.email);
  if (weak) return weak;
  let ended: number;
  try {
    ended = await replacePassword(db, { userId, newPassword: input.password, keepSessionId: null }, config, now, (user) => [
      // The link is used up in the same transaction, by a compare-and-swap: of two submissions at
      // once, the second finds it used (P2025) and its whole transaction is rolled back.
      db.emailChallenge.update({ where: { id: challenge.id, usedAt: null }, data: { usedAt: now } }),
      // Every other reset link out for the account dies with this one.
      voidResetLinksStatement(db, userId, now),
      // The mail arrived, so the address is the person's.
      db.user.update({ where: { id: userId }, data: { emailVerifiedAt: now } }),
      queue(db, mails.passwordChanged(user.email, circumstancesOf(ctx), config.appOrigin), ctx),
    ]);
  } catch (error) {
    if (isPrismaError(error, "P2025")) return { ok: false, code: "link_expired" };
    throw error;
  }
  sendQueuedMail();
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, passwordHash: true } });
  await record(ctx, { userId, type: "password_reset", detail: ended > 0 ? sessionsEnded(ended) : null });
  // The mailbox and a new password are one factor's worth: with an authenticator app on, the
  // sign-in that follows still needs its code, exactly as after a password.
  const factor = await getTotpFactor(db, userId);
  if (factor?.confirmedAt) {
    const pending = await createPendingSignIn(db, { userId, persistent: false, passwordHash: user.passwordHash }, now);
    return { ok: false, code: "second_factor_required", pendingToken: pending.token, expiresAt: pending.expiresAt };
  }
  return startSession({ id: user.id, email: user.email }, false, ctx, input.browser);
}
