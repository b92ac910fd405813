// Moving an account to a new address, from a signed-in session. Node only.
//
// The current password is asked for (whoever holds a session must not take the account away
// with it); a code goes to the new address, which must be proved before anything changes. When
// it is, the old address is told, with a link that puts it back and ends every session.
import "server-only";
import { isPrismaError } from "@/lib/server/faults";
import { takeMailAttempt } from "@/lib/server/limits";
import { mails } from "@/lib/server/mail/mails";
import { findByToken, LIFETIME_MINUTES, newChallenge, tryCode, useChallenge, voidChallengesStatement } from "@/lib/server/store/challenges";
import { endOtherSessionsStatement } from "@/lib/server/store/sessions";
import { generateLinkToken } from "@/lib/server/email-secrets";
import { hashPassword } from "@/lib/server/password";
import { record, sessionsEnded, type ActionContext, type Actor, type RateLimited } from "./context";
import { checkCurrentPassword } from "./current-password";
import { circumstancesOf, queue, sendQueuedMail } from "./mail";
import type { CodeRefusal } from "./sign-up";

export type EmailChangeStarted = { ok: true; challengeId: string };

export async function requestEmailChange(
  actor: Actor,
  input: { email: string; password: string },
  ctx: ActionContext,
): Promise<EmailChangeStarted | RateLimited | { ok: false; code: "wrong_password" | "email_unchanged" }> {
  const { db, config, now } = ctx;
  const checked = await checkCurrentPassword(actor, input.password, ctx, { type: "password_change_failed", detail: "while changing the email address" });
  if (!checked.ok) return checked;
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
  if (user.email === input.email) return { ok: false, code: "email_unchanged" };
  const taken = await takeMailAttempt(db, { email: input.email, ip: ctx.client.ip, purpose: "email_change" }, config.limits, now);
  if (!taken.ok) return { ok: false, code: "rate_limited", retryAfterSeconds: taken.retryAfterSeconds };

  // An address that has an account is told someone tried, and no code can match: the answer is
  // the same, so this cannot be used to learn who has an account either.
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  const challenge = newChallenge(db, { purpose: "email_change", email: input.email, userId: actor.userId, notice: !!existing }, config.refreshTokenKey, now);
  const mail = existing
    ? mails.emailChangeExisting(input.email, config.appOrigin)
    : mails.emailChangeCode(input.email, { code: challenge.secret, challengeId: challenge.id, minutes: LIFETIME_MINUTES.email_change }, config.appOrigin);
  await db.$transaction([challenge.statement, queue(db, mail, ctx)]);
  sendQueuedMail();
  await record(ctx, { ...actor, type: "email_change_requested", detail: `To ${input.email}` });
  return { ok: true, challengeId: challenge.id };
}

export async function finishEmailChange(
  actor: Actor,
  input: { challengeId: string; code: string },
  ctx: ActionContext,
): Promise<{ ok: true; email: string } | CodeRefusal> {
  const { db, config, now } = ctx;
  const check = await tryCode(db, { id: input.challengeId, purpose: "email_change", code: input.code, userId: actor.userId }, config.refreshTokenKey, now);
  if (!check.ok) return check.reason === "wrong" ? { ok: false, code: "code_incorrect", triesLeft: check.triesLeft } : { ok: false, code: "code_expired" };
  const newEmail = check.challenge.email;
  let oldEmail: string | null;
  try {
    oldEmail = await db.$transaction(async (tx) => {
      if (!(await useChallenge(tx, check.challenge.id, now))) return null;
      const before = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
      await tx.user.update({ where: { id: actor.userId }, data: { email: newEmail, emailVerifiedAt: now } });
      // The old address is told, with a way to take the account back.
      const undo = newChallenge(tx, { purpose: "email_change_undo", email: before.email, userId: actor.userId }, config.refreshTokenKey, now);
      await undo.statement;
      const days = LIFETIME_MINUTES.email_change_undo / (24 * 60);
      await queue(tx, mails.emailChanged(before.email, { newEmail, token: undo.secret, days, circumstances: circumstancesOf(ctx) }, config.appOrigin), ctx);
      return before.email;
    });
  } catch (error) {
    if (isPrismaError(error, "P2002")) return { ok: false, code: "email_taken" };
    throw error;
  }
  if (!oldEmail) return { ok: false, code: "code_expired" };
  sendQueuedMail();
  await record(ctx, { ...actor, type: "email_changed", detail: `From ${oldEmail} to ${newEmail}` });
  return { ok: true, email: newEmail };
}

/** Whether an undo link still works (for the page that shows its button). Uses nothing up. */
export async function undoLinkWorks(token: string, ctx: ActionContext): Promise<boolean> {
  return (await findByToken(ctx.db, "email_change_undo", token, ctx.config.refreshTokenKey, ctx.now)) !== null;
}

/**
 * "This wasn't me": the old address comes back (if nobody has taken it since), every session of
 * the account ends, the password stops working, the account forgets its known browsers, and every
 * code or link still out — a reset link mailed to the new address — stops working. The person
 * then resets the password from their own address.
 */
export async function undoEmailChange(input: { token: string }, ctx: ActionContext): Promise<{ ok: true; restored: boolean } | { ok: false; code: "link_expired" }> {
  const { db, config, now } = ctx;
  const challenge = await findByToken(db, "email_change_undo", input.token, config.refreshTokenKey, now);
  if (!challenge?.userId) return { ok: false, code: "link_expired" };
  const userId = challenge.userId;
  // Whoever moved the address knew the password: it stops working (a hash of a secret nobody
  // holds), and the person chooses a new one through a reset mailed to the restored address.
  const lockedOut = await hashPassword(generateLinkToken(), config);
  const outcome = await db.$transaction(async (tx) => {
    if (!(await useChallenge(tx, challenge.id, now))) return null;
    const holder = await tx.user.findUnique({ where: { email: challenge.email }, select: { id: true } });
    const restored = !holder || holder.id === userId;
    await tx.user.update({ where: { id: userId }, data: { passwordHash: lockedOut, ...(restored ? { email: challenge.email, emailVerifiedAt: now } : {}) } });
    // Their browsers are strangers again: signing in from one mails the owner. And whatever they
    // may have added to get back in — a passkey, an authenticator app — goes too.
    await tx.knownDevice.deleteMany({ where: { userId } });
    await tx.passkey.deleteMany({ where: { userId } });
    await tx.totpFactor.deleteMany({ where: { userId } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.pendingSignIn.deleteMany({ where: { userId } });
    await voidChallengesStatement(tx, userId, now);
    const ended = await endOtherSessionsStatement(tx, { userId, keepSessionId: null }, "signed_out_everywhere", now);
    return { restored, ended: ended.count };
  });
  if (!outcome) return { ok: false, code: "link_expired" };
  const what = [outcome.restored ? "Address restored" : "Address not restored (another account has it now)", outcome.ended > 0 ? sessionsEnded(outcome.ended) : null];
  await record(ctx, { userId, type: "email_change_undone", detail: what.filter(Boolean).join("; ") });
  return { ok: true, restored: outcome.restored };
}
