// Creating an account: the address is proved first, by a code mailed to it. Node only.
//
// Asking to sign up answers the same whether or not the address has an account (no one can use
// it to learn who has one): the same work (a bcrypt hash, one challenge, one queued mail), the
// same answer, the same cookie. A new address gets a code; an address that has an account gets a
// mail saying someone tried, and a challenge no code can match. The account exists only once the
// code is entered.
import "server-only";
import type { HeldByBrowser } from "@/lib/edge/cookies";
import { randomUUID } from "node:crypto";
import { takeMailAttempt, takeSignUpAttempt } from "@/lib/server/limits";
import type { Taken } from "@/lib/server/store/rate-limits";
import { mails } from "@/lib/server/mail/mails";
import { metrics } from "@/lib/server/metrics";
import { hashPassword, verifyPassword } from "@/lib/server/password";
import { CODE_TRIES, LIFETIME_MINUTES, newChallenge, renewCode, RESEND_COOLDOWN_SECONDS, useChallenge } from "@/lib/server/store/challenges";
import { tryMailedCode } from "./mailed-codes";
import { createIdentityStatement } from "@/lib/server/store/identities";
import { isPrismaError } from "@/lib/server/faults";
import type { ActionContext, RateLimited } from "./context";
import { refuseWeakPassword, type WeakPassword } from "./new-password";
import { queue, sendQueuedMail } from "./mail";
import { startSession, type SignedIn } from "./sign-in";

export type SignUpStarted = { ok: true; challengeId: string };

export async function startSignUp(
  input: { email: string; password: string; remember: boolean },
  ctx: ActionContext,
): Promise<SignUpStarted | RateLimited | WeakPassword> {
  const { db, config, now } = ctx;
  const limited = (taken: Taken): RateLimited | null => {
    if (taken.ok) return null;
    metrics().signUps.inc({ outcome: "limited" });
    return { ok: false, code: "rate_limited", retryAfterSeconds: taken.retryAfterSeconds };
  };
  const place = limited(await takeSignUpAttempt(db, ctx.client.ip, config.limits, now));
  if (place) return place;
  // Scored once the sign-up limit is taken: judging a password is work too (dictionaries,
  // patterns), which nobody may ask for without end. Before the mail limit: a person trying
  // passwords the form refuses does not spend their address's mail.
  const weak = await refuseWeakPassword(input.password, input.email, config);
  if (weak) return weak;
  const address = limited(await takeMailAttempt(db, { email: input.email, ip: ctx.client.ip, purpose: "sign_up" }, config.limits, now));
  if (address) return address;
  // Hashed whether or not it will be used: both paths cost one bcrypt hash.
  const passwordHash = await hashPassword(input.password, config);
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  const challenge = newChallenge(
    db,
    { purpose: "sign_up", email: input.email, passwordHash: existing ? null : passwordHash, persistent: input.remember, notice: !!existing },
    config,
    now,
  );
  const mail = existing
    ? mails.signUpExisting(input.email, config.appOrigin)
    : mails.signUpCode(input.email, { code: challenge.secret, challengeId: challenge.id, minutes: LIFETIME_MINUTES.sign_up }, config.appOrigin);
  await db.$transaction([challenge.statement, queue(db, mail, ctx)]);
  sendQueuedMail();
  metrics().signUps.inc({ outcome: existing ? "address_has_account" : "code_sent" });
  return { ok: true, challengeId: challenge.id };
}

export type CodeRefusal =
  | { ok: false; code: "code_incorrect" | "password_mismatch"; triesLeft: number }
  | { ok: false; code: "code_expired" }
  | { ok: false; code: "email_taken" }
  | RateLimited;

/**
 * The right code creates the account (its address verified) and signs the person in. From a
 * browser other than the one that asked (the mail's link opened elsewhere), the password chosen at
 * sign-up is asked too: otherwise whoever started a sign-up for someone else's address could have
 * its owner finish it — creating the account with the starter's password — just by clicking the
 * link in the mail. The password's check spends one of the code's tries.
 */
export async function finishSignUp(
  input: { challengeId: string; code: string; browser?: HeldByBrowser; fromAnotherBrowser?: boolean; password?: string },
  ctx: ActionContext,
): Promise<SignedIn | CodeRefusal> {
  const { db, config, now } = ctx;
  const check = await tryMailedCode({ id: input.challengeId, purpose: "sign_up", code: input.code }, ctx);
  if (!check.ok) {
    if ("code" in check) return check;
    metrics().signUps.inc({ outcome: check.reason === "wrong" ? "wrong_code" : "code_spent" });
    return check.reason === "wrong" ? { ok: false, code: "code_incorrect", triesLeft: check.triesLeft } : { ok: false, code: "code_expired" };
  }
  const { challenge } = check;
  // A sign-up through another provider has no password to ask another browser for: it is finished
  // where it started (the sign-up cookie).
  if (input.fromAnotherBrowser && !challenge.passwordHash) return { ok: false, code: "code_expired" };
  if (input.fromAnotherBrowser && !(await verifyPassword(input.password ?? "", challenge.passwordHash!, config))) {
    metrics().signUps.inc({ outcome: "wrong_password" });
    return { ok: false, code: "password_mismatch", triesLeft: Math.max(0, CODE_TRIES - challenge.attempts) };
  }
  let user: { id: string; email: string } | null;
  try {
    user = await db.$transaction(async (tx) => {
      if (!(await useChallenge(tx, challenge.id, now))) return null;
      const created = await tx.user.create({
        data: { id: randomUUID(), email: challenge.email, passwordHash: challenge.passwordHash, createdAt: now, emailVerifiedAt: now },
        select: { id: true, email: true },
      });
      // Through another provider that did not vouch for the address: its identity, now that it is proved.
      if (challenge.identityProvider && challenge.identitySubject) {
        await createIdentityStatement(tx, { userId: created.id, provider: challenge.identityProvider, subject: challenge.identitySubject, email: challenge.email }, now);
      }
      return created;
    });
  } catch (error) {
    // Two sign-ups for one address, both proved: the first to finish has the account.
    if (isPrismaError(error, "P2002")) return { ok: false, code: "email_taken" };
    throw error;
  }
  if (!user) return { ok: false, code: "code_expired" };
  metrics().signUps.inc({ outcome: "created" });
  const started = await startSession(user, challenge.persistent, ctx, input.browser);
  // Created a moment ago in this request: nothing can have locked it.
  if (!started.ok) throw new Error(`a new account's first session was refused (${started.code})`);
  return started;
}

/** Another code for a sign-up that is still waiting, after a cool-down. */
export async function resendSignUpCode(
  input: { challengeId: string },
  ctx: ActionContext,
): Promise<{ ok: true } | RateLimited | { ok: false; code: "code_expired" }> {
  const { db, config, now } = ctx;
  const renewed = await renewCode(db, { id: input.challengeId, purpose: "sign_up" }, config, now);
  if (!renewed.ok) {
    return "spent" in renewed ? { ok: false, code: "code_expired" } : { ok: false, code: "rate_limited", retryAfterSeconds: renewed.retryAfterSeconds };
  }
  const { challenge } = renewed;
  const taken = await takeMailAttempt(db, { email: challenge.email, ip: ctx.client.ip, purpose: "sign_up" }, config.limits, now);
  if (!taken.ok) return { ok: false, code: "rate_limited", retryAfterSeconds: taken.retryAfterSeconds };
  const mail = challenge.notice
    ? mails.signUpExisting(challenge.email, config.appOrigin)
    : mails.signUpCode(challenge.email, { code: renewed.code, challengeId: challenge.id, minutes: LIFETIME_MINUTES.sign_up }, config.appOrigin);
  const claimed = await db.$transaction(async (tx) => {
    if (!(await renewed.claim(tx))) return false;
    await queue(tx, mail, ctx);
    return true;
  });
  // Lost the cool-down to a resend at the same moment: that one mailed.
  if (!claimed) return { ok: false, code: "rate_limited", retryAfterSeconds: RESEND_COOLDOWN_SECONDS };
  sendQueuedMail();
  return { ok: true };
}
