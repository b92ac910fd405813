// A right password (or a reset link, or a provider's sign-in) that met a wrong code, or no code, at
// the second step: its owner's password — or mailbox, or provider account — is in someone else's
// hands, and they should hear of it. Node only.
//
// Told when the pending sign-in ends without a right code: out of tries at once, expired by the
// sweep (sweeper.ts). Not when the owner got in from the same place since (a mistyped code, a
// reloaded page), and at most once every six hours per account.
import "server-only";
import type { Db } from "@/lib/db";
import type { Config } from "@/lib/env";
import { takePasswordKnownNotice } from "@/lib/server/limits";
import { mails } from "@/lib/server/mail/mails";
import { claimAbandonedSignIns, type PendingSignInRow } from "@/lib/server/store/two-factor";
import { record, type ActionContext } from "./context";
import { circumstancesOf, queue, sendQueuedMail } from "./mail";

export async function tellOwnerOfUnfinishedSignIn(pending: PendingSignInRow, ctx: ActionContext): Promise<boolean> {
  const { db, now } = ctx;
  const gotIn = await db.session.findFirst({ where: { userId: pending.userId, createdAt: { gte: pending.createdAt }, ...(pending.ip ? { ip: pending.ip } : {}) }, select: { id: true } });
  if (gotIn) return false;
  const owner = await db.user.findUnique({ where: { id: pending.userId }, select: { email: true } });
  if (!owner || !(await takePasswordKnownNotice(db, pending.userId, now))) return false;
  const via = pending.newPasswordHash ? "reset" : pending.passwordHash === null ? "provider" : "password";
  const circumstances = circumstancesOf({ ...ctx, now: pending.createdAt }, pending.userAgent, pending.ip);
  await db.$transaction([queue(db, mails.passwordKnown(owner.email, { via, circumstances }, ctx.config.appOrigin), ctx)]);
  sendQueuedMail();
  await record({ ...ctx, client: { ip: pending.ip, userAgent: pending.userAgent } }, { userId: pending.userId, type: "second_step_unfinished", detail: { reset: "after a password reset link", password: "after the right password", provider: "after a provider's sign-in" }[via] });
  return true;
}

/** The sweep: pending sign-ins that expired without a right code, each told once across instances. */
export async function tellOwnersOfAbandonedSignIns(db: Db, config: Config, now: Date): Promise<number> {
  const ctx: ActionContext = { db, config, now, client: { ip: null, userAgent: null } };
  let told = 0;
  for (const pending of await claimAbandonedSignIns(db, now)) {
    if (await tellOwnerOfUnfinishedSignIn(pending, ctx)) told++;
  }
  return told;
}
