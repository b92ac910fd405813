// Signing out: this session, or every session of the account. Node only.
import "server-only";
import { needsFreshSignIn, type NeedsFreshSignIn } from "./fresh-sign-in";
import { verifyAccessToken } from "@/lib/edge/access-token";
import { findSessionByRefreshToken, getLiveSession, revokeOtherSessions, revokeSession } from "@/lib/server/store/sessions";
import { record, sessionsEnded, type ActionContext } from "./context";
import { endSessionItReplaced } from "./replaced-session";

type Held = { refreshToken?: string; accessToken?: string };

/**
 * Ends the session this browser holds, so its refresh token stops working everywhere, and the one
 * it replaced in this browser if that was still waiting for its first refresh. Idempotent:
 * signing out twice, or while signed out, is not an error.
 */
export async function signOut(held: Held, ctx: ActionContext): Promise<void> {
  const session = await sessionHeld(held, ctx);
  if (!session) return;
  if (await revokeSession(ctx.db, session.sessionId, "signed_out", ctx.now)) {
    await record(ctx, { ...session, type: "signed_out" });
  }
  await endSessionItReplaced(session.sessionId, ctx);
}

/**
 * Ends every session of the account. Needs a live session: a token whose session already ended
 * (reused, signed out, expired) must not let whoever holds it end the sessions the owner starts.
 */
export async function signOutEverywhere(
  held: Held,
  ctx: ActionContext,
): Promise<{ ok: true } | { ok: false; code: "unauthenticated" } | NeedsFreshSignIn> {
  const session = await sessionHeld(held, ctx);
  const live = session ? await getLiveSession(ctx.db, session.sessionId, ctx.now) : null;
  if (!session || !live) return { ok: false, code: "unauthenticated" };
  // Dangerous from a borrowed laptop: it would sign the owner out of their own devices.
  const stale = await needsFreshSignIn(session, ctx);
  if (stale) return stale;
  const ended = await revokeOtherSessions(ctx.db, { userId: session.userId, keepSessionId: null }, "signed_out_everywhere", ctx.now);
  await record(ctx, { ...session, type: "signed_out_everywhere", detail: sessionsEnded(ended) });
  return { ok: true };
}

/** The session this browser holds: by its refresh token, else by a valid access token. */
async function sessionHeld(held: Held, ctx: ActionContext): Promise<{ sessionId: string; userId: string } | null> {
  if (held.refreshToken) {
    const found = await findSessionByRefreshToken(ctx.db, held.refreshToken);
    if (found) return found;
  }
  if (!held.accessToken) return null;
  const verified = await verifyAccessToken(held.accessToken, ctx.config, ctx.now);
  return verified.ok ? { sessionId: verified.claims.sessionId, userId: verified.claims.userId } : null;
}
