// "Your current password", asked from a signed-in session (changing the password or the address,
// confirming it's you). Node only.
//
// Whoever holds a session (a borrowed laptop, a stolen cookie) could otherwise guess it at bcrypt
// speed: each check is taken from a per-account limit first, and a wrong one is recorded; a right
// one gives the account's failures back.
import "server-only";
import { settleRightPassword, takePasswordCheck } from "@/lib/server/limits";
import type { SecurityEventType } from "@/lib/server/store/security-events";
import { hasPassword, isCurrentPassword } from "@/lib/server/store/users";
import { record, type ActionContext, type Actor, type RateLimited } from "./context";

export async function checkCurrentPassword(
  actor: Actor,
  password: string,
  ctx: ActionContext,
  onWrong: { type: SecurityEventType; detail?: string },
): Promise<{ ok: true } | { ok: false; code: "wrong_password" } | RateLimited> {
  const taken = await takePasswordCheck(ctx.db, actor.userId, ctx.config.limits, ctx.now);
  if (!taken.ok) return { ok: false, code: "rate_limited", retryAfterSeconds: taken.retryAfterSeconds };
  if (!(await isCurrentPassword(ctx.db, actor.userId, password, ctx.config))) {
    // No password at all (removed meanwhile, by this person's other tab): nothing was guessed.
    if (await hasPassword(ctx.db, actor.userId)) await record(ctx, { ...actor, ...onWrong });
    return { ok: false, code: "wrong_password" };
  }
  await settleRightPassword(ctx.db, actor.userId);
  return { ok: true };
}
