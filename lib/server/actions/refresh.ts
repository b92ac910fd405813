// Renewing the tokens from a refresh token: the one refresh path (the middleware, browsers and API
// clients all reach it through POST /api/auth/refresh). Node only.
import "server-only";
import { describeDevice } from "@/lib/server/device";
import { countFailedRefresh } from "@/lib/server/limits";
import { metrics } from "@/lib/server/metrics";
import { rotateRefreshToken, type ReusedSession, type RotateFailure } from "@/lib/server/store/sessions";
import { issueTokens, type IssuedTokens } from "@/lib/server/tokens";
import type { DbOrTx } from "@/lib/db";
import { mails } from "@/lib/server/mail/mails";
import { record, type ActionContext, type RateLimited } from "./context";
import { circumstancesOf, queue, sendQueuedMail } from "./mail";
import { endSessionItReplaced } from "./replaced-session";

export type RefreshResult = { ok: true; tokens: IssuedTokens } | { ok: false; code: RotateFailure | "missing" } | RateLimited;

export async function refreshTokens(presented: string | undefined, ctx: ActionContext): Promise<RefreshResult> {
  const result = await refresh(presented, ctx);
  metrics().refreshes.inc({ outcome: result.ok ? result.via : result.code === "rate_limited" ? "limited" : result.code });
  return result.ok ? { ok: true, tokens: result.tokens } : result;
}

async function refresh(presented: string | undefined, ctx: ActionContext): Promise<(RefreshResult & { ok: false }) | { ok: true; tokens: IssuedTokens; via: "rotated" | "grace" }> {
  if (!presented) return { ok: false, code: "missing" };
  const started = performance.now();
  const result = await rotateRefreshToken(ctx.db, presented, ctx.config, ctx.now, ctx.client, mailOwnerOfReuse(ctx));
  metrics().rotation.observe((performance.now() - started) / 1000);
  if (result.ok) {
    // The browser has this session's cookies: the session they replaced there can end.
    if (result.via === "rotated") await endSessionItReplaced(result.session.id, ctx, result.replaces ?? null);
    return { ok: true, tokens: await issueTokens(result, ctx.config, ctx.now), via: result.via };
  }

  if (result.code === "reused" && result.ended) await recordReuse(result.session, ctx);
  // Only tokens we never issued count: that is guessing. An expired, revoked or reused token is a
  // real one whose holder must be sent to sign in, never told "try again" because others behind
  // the same address guessed. Past the limit the answer is 429 with the cookies left alone.
  if (result.code === "invalid") {
    const counted = await countFailedRefresh(ctx.db, ctx.client.ip, ctx.config.limits, ctx.now);
    if (!counted.ok) return { ok: false, code: "rate_limited", retryAfterSeconds: counted.retryAfterSeconds };
  }
  return { ok: false, code: result.code };
}

/**
 * A reuse that ends the session mails its owner, queued in the transaction that ends it. The mail
 * describes the session that ended: its device and the address it was last seen at.
 */
export function mailOwnerOfReuse(ctx: ActionContext) {
  return async (tx: DbOrTx, session: ReusedSession) => {
    const owner = await tx.user.findUnique({ where: { id: session.userId }, select: { email: true } });
    if (owner) await queue(tx, mails.refreshTokenReused(owner.email, circumstancesOf(ctx, session.userAgent, session.ip), ctx.config.appOrigin), ctx);
  };
}

/** After a reuse ended a session: its mail sent, the owner's activity told. */
export async function recordReuse(session: ReusedSession, ctx: ActionContext): Promise<void> {
  sendQueuedMail();
  await record(ctx, { userId: session.userId, sessionId: session.id, type: "refresh_token_reused", detail: describeDevice(session.userAgent) });
}
