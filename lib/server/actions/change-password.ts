// Changing the password from a signed-in session. Node only.
import "server-only";
import { replacePassword } from "@/lib/server/store/users";
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
 * limited per account, wrong ones recorded; ASVS 6.2.3), and a new one nobody can guess. A change
 * ends every other session of the account.
 */
export async function changePassword(
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  ctx: ActionContext,
): Promise<ChangePasswordResult> {
  const stale = await needsFreshSignIn(actor, ctx);
  if (stale) return stale;
  const owner = await ctx.db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
  const weak = refuseWeakPassword(input.newPassword, owner.email);
  if (weak) return weak;
  const checked = await checkCurrentPassword(actor, input.currentPassword, ctx, { type: "password_change_failed" });
  if (!checked.ok) return checked;
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
  await record(ctx, { ...actor, type: "password_changed", detail: endedSessions > 0 ? sessionsEnded(endedSessions, true) : null });
  return { ok: true, endedSessions };
}
