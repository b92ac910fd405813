// Signing out: this session, or every session of the account. Node only.
import "server-only";
import { needsFreshSignIn, type NeedsFreshSignIn } from "./fresh-sign-in";
import { verifyAccessToken } from "@/lib/edge/access-token";
import { endSessionForReuse, getLiveSession, inspectRefreshToken, revokeOtherSessions, revokeSession, type ReusedSession } from "@/lib/server/store/sessions";
import { record, sessionsEnded, type ActionContext, type Actor } from "./context";
import { mailOwnerOfReuse, recordReuse } from "./refresh";
import { endSessionItReplaced } from "./replaced-session";

type Held = { refreshToken?: string; accessToken?: string };

/**
 * Ends the session this browser holds, so its refresh token stops working everywhere, and the one
 * it replaced in this browser if that was still waiting for its first refresh. Idempotent:
 * signing out twice, or while signed out, is not an error. A refresh token rotated longer ago
 * than the grace window is a copy someone kept: as at a refresh, that is a reuse — the session
 * ends for reuse, is recorded, and its owner is mailed — never a quiet sign-out.
 */
export async function signOut(held: Held, ctx: ActionContext): Promise<void> {
  const session = await sessionHeld(held, ctx);
  if (!session) return;
  if (session.reused) {
    if (await endSessionForReuse(ctx.db, session.reused, ctx.now, mailOwnerOfReuse(ctx))) await recordReuse(session.reused, ctx);
    return;
  }
  if (await revokeSession(ctx.db, session.sessionId, "signed_out", ctx.now)) {
    await record(ctx, { sessionId: session.sessionId, userId: session.userId, type: "signed_out" });
  }
  await endSessionItReplaced(session.sessionId, ctx);
}

/**
 * Ends every session of the account. Needs a live session held with its current token: a token
 * whose session already ended (reused, signed out, expired), or a copy rotated long ago, must not
 * let whoever holds it end the sessions the owner starts.
 */
export async function signOutEverywhere(
  held: Held,
  ctx: ActionContext,
): Promise<{ ok: true } | { ok: false; code: "unauthenticated" } | NeedsFreshSignIn> {
  const session = await sessionHeld(held, ctx);
  const live = session && !session.reused ? await getLiveSession(ctx.db, session.sessionId, ctx.now) : null;
  if (!session || !live) return { ok: false, code: "unauthenticated" };
  // Dangerous from a borrowed laptop: it would sign the owner out of their own devices.
  const stale = await needsFreshSignIn(session, ctx);
  if (stale) return stale;
  const ended = await revokeOtherSessions(ctx.db, { userId: session.userId, keepSessionId: null }, "signed_out_everywhere", ctx.now);
  await record(ctx, { sessionId: session.sessionId, userId: session.userId, type: "signed_out_everywhere", detail: sessionsEnded(ended) });
  return { ok: true };
}

type HeldSession = Actor & { reused?: ReusedSession };

/**
 * The session this browser holds: by its refresh token (`reused` when that token was rotated long
 * ago), else by a valid access token (whose auth_time then says how fresh the sign-in is).
 */
async function sessionHeld(held: Held, ctx: ActionContext): Promise<HeldSession | null> {
  if (held.refreshToken) {
    const found = await inspectRefreshToken(ctx.db, held.refreshToken, ctx.config, ctx.now);
    if (found) return { sessionId: found.session.id, userId: found.session.userId, ...(found.current ? {} : { reused: found.session }) };
  }
  if (!held.accessToken) return null;
  const verified = await verifyAccessToken(held.accessToken, ctx.config, ctx.now);
  return verified.ok ? { sessionId: verified.claims.sessionId, userId: verified.claims.userId, authenticatedAt: verified.claims.authenticatedAt } : null;
}
