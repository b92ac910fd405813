// Changing the password from a signed-in session. Node only.
import "server-only";
import { holdAccount, replacePassword } from "@/lib/server/store/users";
import { waysIn } from "@/lib/server/store/identities";
import { endOtherSessionsStatement } from "@/lib/server/store/sessions";
import { checkCurrentPassword } from "./current-password";
import { needsFreshSignIn, type NeedsFreshSignIn } from "./fresh-sign-in";
import { mails } from "@/lib/server/mail/mails";
import { voidResetLinksStatement } from "@/lib/server/store/challenges";
import { circumstancesOf, queue, sendQueuedMail } from "./mail";
import { refuseWeakPassword, type WeakPassword } from "./new-password";
import { record, sessionsEnded, type ActionContext, type Actor, type RateLimited } from "./context";

export type ChangePasswordResult = { ok: true; endedSessions: number } | { ok: false; code: "wrong_password" } | RateLimited | WeakPassword | NeedsFreshSignIn;

/**
 * A fresh sign-in (with two-step sign-in on, its code or a passkey: a borrowed session and a
 * shoulder-surfed password are not enough), the current password too (current-password.ts:
 * limited per account, wrong ones recorded; ASVS 6.2.3), and a new one nobody can guess. An account
 * without a password (made through another provider) sets one with the fresh sign-in alone. A
 * change ends every other session of the account.
 */
export async function changePassword(
  actor: Actor,
  input: { currentPassword?: string; newPassword: string },
  ctx: ActionContext,
): Promise<ChangePasswordResult> {
  const stale = await needsFreshSignIn(actor, ctx);
  if (stale) return stale;
  const owner = await ctx.db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true, passwordHash: true } });
  const weak = await refuseWeakPassword(input.newPassword, owner.email, ctx.config);
  if (weak) return weak;
  const setting = owner.passwordHash === null;
  if (!setting) {
    const checked = await checkCurrentPassword(actor, input.currentPassword ?? "", ctx, { type: "password_change_failed" });
    if (!checked.ok) return checked;
  }
  const endedSessions = await replacePassword(
    ctx.db,
    { userId: actor.userId, newPassword: input.newPassword, keepSessionId: actor.sessionId },
    ctx.config,
    ctx.now,
    (user) => [
      queue(ctx.db, mails.passwordChanged(user.email, circumstancesOf(ctx), ctx.config.appOrigin), ctx),
      voidResetLinksStatement(ctx.db, actor.userId, ctx.now),
    ],
  );
  sendQueuedMail();
  await record(ctx, { ...actor, type: setting ? "password_set" : "password_changed", detail: endedSessions > 0 ? sessionsEnded(endedSessions, true) : null });
  return { ok: true, endedSessions };
}

/**
 * Removing the password (a passkey or another provider signs in instead): a fresh sign-in and the
 * password itself (else removing it and setting another would change it without knowing it),
 * never the last way in; every other session ends, as at a change; mailed and recorded.
 */
export async function removePassword(
  actor: Actor,
  input: { currentPassword: string },
  ctx: ActionContext,
): Promise<{ ok: true } | NeedsFreshSignIn | RateLimited | { ok: false; code: "last_way_in" | "no_password" | "wrong_password" }> {
  const stale = await needsFreshSignIn(actor, ctx);
  if (stale) return stale;
  const ways = await waysIn(ctx.db, actor.userId);
  if (!ways.password) return { ok: false, code: "no_password" };
  if (ways.total <= 1) return { ok: false, code: "last_way_in" };
  const checked = await checkCurrentPassword(actor, input.currentPassword, ctx, { type: "password_change_failed", detail: "wrong password when removing it" });
  // Removed meanwhile by another of this person's requests: say so, not "wrong password".
  if (!checked.ok) return checked.code === "wrong_password" && !(await waysIn(ctx.db, actor.userId)).password ? { ok: false, code: "no_password" } : checked;
  const outcome = await ctx.db.$transaction(async (tx) => {
    await holdAccount(tx, actor.userId);
    const ways = await waysIn(tx, actor.userId);
    if (!ways.password) return "no_password" as const;
    if (ways.total <= 1) return "last_way_in" as const;
    const user = await tx.user.update({ where: { id: actor.userId }, data: { passwordHash: null }, select: { email: true } });
    const ended = await endOtherSessionsStatement(tx, { userId: actor.userId, keepSessionId: actor.sessionId }, "password_changed", ctx.now);
    await voidResetLinksStatement(tx, actor.userId, ctx.now);
    await queue(tx, mails.passwordRemoved(user.email, circumstancesOf(ctx), ctx.config.appOrigin), ctx);
    return ended.count;
  });
  if (typeof outcome === "string") return { ok: false, code: outcome };
  sendQueuedMail();
  await record(ctx, { ...actor, type: "password_removed", detail: outcome > 0 ? sessionsEnded(outcome, true) : null });
  return { ok: true };
}
