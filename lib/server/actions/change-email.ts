// Moving an account to a new address, from a signed-in session, and taking it back. Node only.
//
// Moving needs a fresh sign-in (with two-step sign-in on, its code or a passkey too): whoever holds
// a session, or knows only the password of a two-step account, must not take the account away. A
// code goes to the new address, which must be proved before anything changes. When it is, the
// address it leaves is told, with an undo link (docs/decisions/0010-recovery.md):
//
// - Undo links of one account form a chain: a change made while one is live gives the next link
//   the same address to put back, the one held before the first change, and tells that address.
// - Using any link of a chain does what the oldest live one says: puts that address back and
//   removes only what was added since that first change (passkeys, an authenticator app, recovery
//   codes, remembered browsers). Links issued earlier than the one used are never voided, so
//   whoever made a later change cannot cancel the owner's way back.
// - Whoever moved it knew the password: it stops working, every session ends, and the restored
//   address is mailed a reset link. What the owner enrolled before stays, so that reset still asks
//   for the second factor.
// - If the address to put back belongs to another account now, nothing is stripped and the
//   account is not left to whoever holds its current address: it is locked until support helps.
import "server-only";
import { isPrismaError } from "@/lib/server/faults";
import { takeMailAttempt } from "@/lib/server/limits";
import { mails } from "@/lib/server/mail/mails";
import {
  addressToRestore,
  findByToken,
  LIFETIME_MINUTES,
  liveUndoLinks,
  newChallenge,
  useChallenge,
  voidChallengesStatement,
} from "@/lib/server/store/challenges";
import { endOtherSessionsStatement } from "@/lib/server/store/sessions";
import { lockAccount } from "@/lib/server/store/users";
import { generateLinkToken } from "@/lib/server/email-secrets";
import { hashPassword } from "@/lib/server/password";
import type { DbOrTx } from "@/lib/db";
import { record, sessionsEnded, supportContact, type ActionContext, type Actor, type RateLimited } from "./context";
import { needsFreshSignIn, type NeedsFreshSignIn } from "./fresh-sign-in";
import { circumstancesOf, queue, sendQueuedMail } from "./mail";
import { tryMailedCode } from "./mailed-codes";
import type { CodeRefusal } from "./sign-up";

export type EmailChangeStarted = { ok: true; challengeId: string };

/** A way in was added less than a day ago: the address can change from then. */
export type TooSoon = { ok: false; code: "email_change_too_soon"; retryAfterSeconds: number };

/** How long a newly added passkey, app or set of recovery codes keeps the address from moving. */
export const FACTOR_SETTLING_HOURS = 24;

/**
 * When the newest way in added to the account (a passkey, an authenticator app, new recovery
 * codes) is a day old, if that is still to come; else null. The fresh sign-in that lets a session
 * move the address also lets it add a way in first — which an undo, removing only what came after
 * the move, would leave behind. So the two cannot happen within one day: the owner has been
 * mailed about the new way in by then.
 */
async function factorSettlesAt(userId: string, ctx: ActionContext): Promise<Date | null> {
  const since = new Date(ctx.now.getTime() - FACTOR_SETTLING_HOURS * 3600_000);
  const [passkey, app, codes] = await Promise.all([
    ctx.db.passkey.findFirst({ where: { userId, createdAt: { gt: since } }, orderBy: { createdAt: "desc" }, select: { createdAt: true } }),
    ctx.db.totpFactor.findFirst({ where: { userId, confirmedAt: { gt: since } }, select: { confirmedAt: true } }),
    ctx.db.recoveryCode.findFirst({ where: { userId, createdAt: { gt: since } }, orderBy: { createdAt: "desc" }, select: { createdAt: true } }),
  ]);
  const newest = [passkey?.createdAt, app?.confirmedAt, codes?.createdAt].filter((d): d is Date => !!d).sort((a, b) => b.getTime() - a.getTime())[0];
  return newest ? new Date(newest.getTime() + FACTOR_SETTLING_HOURS * 3600_000) : null;
}

export async function requestEmailChange(
  actor: Actor,
  input: { email: string },
  ctx: ActionContext,
): Promise<EmailChangeStarted | RateLimited | NeedsFreshSignIn | TooSoon | { ok: false; code: "email_unchanged" }> {
  const { db, config, now } = ctx;
  const stale = await needsFreshSignIn(actor, ctx);
  if (stale) return stale;
  const settles = await factorSettlesAt(actor.userId, ctx);
  if (settles) return { ok: false, code: "email_change_too_soon", retryAfterSeconds: Math.ceil((settles.getTime() - now.getTime()) / 1000) };
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
  if (user.email === input.email) return { ok: false, code: "email_unchanged" };
  const taken = await takeMailAttempt(db, { email: input.email, ip: ctx.client.ip, purpose: "email_change" }, config.limits, now);
  if (!taken.ok) return { ok: false, code: "rate_limited", retryAfterSeconds: taken.retryAfterSeconds };

  // An address that has an account is told someone tried, and no code can match: the answer is
  // the same, so this cannot be used to learn who has an account either.
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  const challenge = newChallenge(db, { purpose: "email_change", email: input.email, userId: actor.userId, notice: !!existing }, config, now);
  const mail = existing
    ? mails.emailChangeExisting(input.email, config.appOrigin)
    : mails.emailChangeCode(input.email, { code: challenge.secret, challengeId: challenge.id, minutes: LIFETIME_MINUTES.email_change }, config.appOrigin);
  await db.$transaction([challenge.statement, queue(db, mail, ctx)]);
  sendQueuedMail();
  await record(ctx, { ...actor, type: "email_change_requested", detail: `To ${input.email}` });
  return { ok: true, challengeId: challenge.id };
}

/**
 * The code from the new address moves the account there. The fresh sign-in was checked when the
 * code was asked for; the code (this account's, mailed to the new address, 15 minutes) is the
 * proof now, so a person slow to read their mail is not asked to confirm it's them again.
 */
export async function finishEmailChange(
  actor: Actor,
  input: { challengeId: string; code: string },
  ctx: ActionContext,
): Promise<{ ok: true; email: string } | CodeRefusal> {
  const { db, config, now } = ctx;
  const check = await tryMailedCode({ id: input.challengeId, purpose: "email_change", code: input.code, userId: actor.userId }, ctx);
  if (!check.ok) {
    if ("code" in check) return check;
    return check.reason === "wrong" ? { ok: false, code: "code_incorrect", triesLeft: check.triesLeft } : { ok: false, code: "code_expired" };
  }
  const newEmail = check.challenge.email;
  let oldEmail: string | null;
  try {
    oldEmail = await db.$transaction(async (tx) => {
      if (!(await useChallenge(tx, check.challenge.id, now))) return null;
      const before = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
      // A change while an undo link is live continues its chain: the new link puts back the same
      // first address, and that address hears of this change too.
      const [first] = await liveUndoLinks(tx, actor.userId, now);
      const original = first ? addressToRestore(first) : before.email;
      await tx.user.update({ where: { id: actor.userId }, data: { email: newEmail, emailVerifiedAt: now } });
      const undo = newChallenge(tx, { purpose: "email_change_undo", email: before.email, restoreEmail: original, userId: actor.userId }, config, now);
      await undo.statement;
      const circumstances = circumstancesOf(ctx);
      const hours = LIFETIME_MINUTES.email_change_undo / 60;
      await queue(tx, mails.emailChanged(before.email, { newEmail, token: undo.secret, hours, circumstances }, config.appOrigin), ctx);
      if (first && original !== before.email) {
        await queue(tx, mails.emailChangedAgain(original, { newEmail, until: first.expiresAt, circumstances }, config.appOrigin), ctx);
      }
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
  return (await findByToken(ctx.db, "email_change_undo", token, ctx.config, ctx.now)) !== null;
}

export type UndoResult = { ok: true; outcome: "restored" | "locked" } | { ok: false; code: "link_expired" };

/** "This wasn't me": see the top of this file. */
export async function undoEmailChange(input: { token: string }, ctx: ActionContext): Promise<UndoResult> {
  const { db, config, now } = ctx;
  const presented = await findByToken(db, "email_change_undo", input.token, config, now);
  if (!presented?.userId) return { ok: false, code: "link_expired" };
  const userId = presented.userId;
  // Whoever moved the address knew the password: it stops working (a hash of a secret nobody
  // holds). Made before the transaction: bcrypt runs on a worker, not while rows are held.
  const voided = await hashPassword(generateLinkToken(), config);
  const outcome = await db.$transaction(async (tx) => {
    if (!(await useChallenge(tx, presented.id, now))) return null;
    // The oldest live link of the chain leads (the one presented, if none is older).
    const chain = await liveUndoLinks(tx, userId, now);
    const first = chain[0] && chain[0].createdAt < presented.createdAt ? chain[0] : presented;
    const address = addressToRestore(first);
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
    const holder = await tx.user.findUnique({ where: { email: address }, select: { id: true } });
    // Every other code and link of the account stops working, but links issued before the one
    // that leads (none is older than `first`) and `first` itself, which the owner may still hold.
    await voidChallengesStatement(tx, userId, now, [first.id]);
    const circumstances = circumstancesOf(ctx);
    if (holder && holder.id !== userId) {
      const ended = await lockAccount(tx, { userId, reason: "email_undo_conflict" }, now);
      const why = `The owner of the Keycard account at ${user.email} asked to put back its earlier address, ${address}, but another account uses that address now. So that the account is not left to whoever changed its address, it was locked.`;
      for (const to of new Set([address, user.email])) {
        await queue(tx, mails.accountLocked(to, { why, contact: supportContact(config), circumstances }, config.appOrigin), ctx);
      }
      return { locked: true as const, ended, address };
    }
    const removed = await removeAddedSince(tx, userId, first.createdAt);
    await tx.user.update({ where: { id: userId }, data: { email: address, emailVerifiedAt: now, passwordHash: voided } });
    await tx.pendingSignIn.deleteMany({ where: { userId } });
    const ended = await endOtherSessionsStatement(tx, { userId, keepSessionId: null }, "email_change_undone", now);
    // The way back in: a reset link to the restored address, in the same mail that says so.
    const reset = newChallenge(tx, { purpose: "password_reset", email: address, userId }, config, now);
    await reset.statement;
    await queue(tx, mails.emailChangeUndone(address, { token: reset.secret, minutes: LIFETIME_MINUTES.password_reset, circumstances }, config.appOrigin), ctx);
    if (user.email !== address) await queue(tx, mails.emailMovedBack(user.email, { circumstances }, config.appOrigin), ctx);
    return { locked: false as const, ended: ended.count, address, removed, from: user.email };
  });
  if (!outcome) return { ok: false, code: "link_expired" };
  sendQueuedMail();
  const detail = outcome.locked
    ? [`${outcome.address} belongs to another account now: the account was locked`, outcome.ended > 0 ? sessionsEnded(outcome.ended) : null]
    : [outcome.from === outcome.address ? `${outcome.address} kept` : `Address put back: ${outcome.address}`, outcome.removed, outcome.ended > 0 ? sessionsEnded(outcome.ended) : null];
  await record(ctx, { userId, type: outcome.locked ? "account_locked" : "email_change_undone", detail: detail.filter(Boolean).join("; ") });
  return { ok: true, outcome: outcome.locked ? "locked" : "restored" };
}

/**
 * Removes what was enrolled after `since` — whoever moved the address may have added their own way
 * back in (a passkey, an app, a provider account of theirs) — and keeps what the owner had before. Says what went, for the activity entry.
 */
async function removeAddedSince(tx: DbOrTx, userId: string, since: Date): Promise<string | null> {
  const after = { gt: since };
  const passkeys = await tx.passkey.deleteMany({ where: { userId, createdAt: after } });
  const totp = await tx.totpFactor.deleteMany({ where: { userId, OR: [{ createdAt: after }, { confirmedAt: after }] } });
  // Recovery codes belong to the app: if it went, they go; otherwise only codes made since.
  const codes = await tx.recoveryCode.deleteMany({ where: { userId, ...(totp.count > 0 ? {} : { createdAt: after }) } });
  const browsers = await tx.knownDevice.deleteMany({ where: { userId, firstSeenAt: after } });
  const providers = await tx.providerIdentity.deleteMany({ where: { userId, createdAt: after } });
  const parts = [
    passkeys.count > 0 ? `${passkeys.count} passkey${passkeys.count === 1 ? "" : "s"}` : null,
    totp.count > 0 ? "the authenticator app" : null,
    codes.count > 0 && totp.count === 0 ? "recovery codes" : null,
    browsers.count > 0 ? `${browsers.count} browser${browsers.count === 1 ? "" : "s"}` : null,
    providers.count > 0 ? `${providers.count} connected provider${providers.count === 1 ? "" : "s"}` : null,
  ].filter(Boolean);
  return parts.length > 0 ? `Removed what was added since the change: ${parts.join(", ")}` : null;
}
