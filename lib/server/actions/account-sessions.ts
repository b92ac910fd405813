// What a signed-in person does with their sessions: see them, end one, end the others. Node only.
import "server-only";
import { needsFreshSignIn, type NeedsFreshSignIn } from "./fresh-sign-in";
import { describeActivity } from "@/lib/server/activity";
import { describeDevice } from "@/lib/server/device";
import { listSecurityEvents } from "@/lib/server/store/security-events";
import { listLiveSessions, revokeOtherSessions, revokeUserSession } from "@/lib/server/store/sessions";
import { record, sessionsEnded, type ActionContext, type Actor } from "./context";

/** The person's live sessions, most recently active first, with their devices named. */
export async function listSessions(actor: Actor, ctx: ActionContext) {
  const sessions = await listLiveSessions(ctx.db, actor.userId, ctx.now);
  return sessions.map((s) => ({
    id: s.id,
    device: describeDevice(s.userAgent),
    ip: s.ip,
    createdAt: s.createdAt,
    lastActiveAt: s.lastActiveAt,
    current: s.id === actor.sessionId,
  }));
}

/** The person's security activity of the last 90 days, in words. */
export async function listActivity(actor: Actor, ctx: ActionContext) {
  return (await listSecurityEvents(ctx.db, actor.userId, ctx.now)).map(describeActivity);
}

/**
 * Ends one of the person's sessions. Someone else's session and an unknown id look the same:
 * `session_not_found`, so ids reveal nothing. Ending another device's session needs a fresh
 * sign-in, like ending them all: otherwise a borrowed laptop could sign the owner out of every
 * device, one at a time. Ending this one is signing out, and needs nothing.
 */
export async function endSession(
  actor: Actor,
  sessionId: string,
  ctx: ActionContext,
): Promise<{ ok: true; wasCurrent: boolean } | { ok: false; code: "session_not_found" } | NeedsFreshSignIn> {
  if (sessionId !== actor.sessionId) {
    const stale = await needsFreshSignIn(actor, ctx);
    if (stale) return stale;
  }
  const ended = await revokeUserSession(ctx.db, { userId: actor.userId, sessionId }, "ended_from_another_session", ctx.now);
  if (!ended) return { ok: false, code: "session_not_found" };
  await record(ctx, { userId: actor.userId, sessionId, type: "session_ended", detail: describeDevice(ended.userAgent) });
  return { ok: true, wasCurrent: sessionId === actor.sessionId };
}

/** Ends every session of the person but this one (a fresh sign-in first, as for signing out everywhere). */
export async function endOtherSessions(actor: Actor, ctx: ActionContext): Promise<{ ok: true; ended: number } | NeedsFreshSignIn> {
  const stale = await needsFreshSignIn(actor, ctx);
  if (stale) return stale;
  const ended = await revokeOtherSessions(ctx.db, { userId: actor.userId, keepSessionId: actor.sessionId }, "ended_from_another_session", ctx.now);
  if (ended > 0) await record(ctx, { ...actor, type: "other_sessions_ended", detail: sessionsEnded(ended) });
  return { ok: true, ended };
}
