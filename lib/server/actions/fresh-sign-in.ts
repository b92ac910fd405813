// "Sudo mode": before something dangerous, a recent proof of who the person is. Node only.
//
// Whoever sits down at a signed-in laptop has the session, not the password. Changing the address
// or the password, adding or removing a way in, downloading the data, ending other sessions and
// deleting the account need the person to have proved who they are in this session within
// REAUTH_MAX_AGE_SECONDS (10 minutes): at sign-in, or again here — the password, with the app's
// code when it is on; a passkey (passkeys.ts); or a connected provider, asked to sign the person in
// again, with the app's code when it is on (providers.ts).
import "server-only";
import { getTotpFactor } from "@/lib/server/store/two-factor";
import { checkCurrentPassword } from "./current-password";
import { inspectRefreshToken } from "@/lib/server/store/sessions";
import type { IssuedTokens } from "@/lib/server/tokens";
import { refreshTokens } from "./refresh";
import { proveSecondFactor } from "./second-factor";
import { record, type ActionContext, type Actor, type RateLimited } from "./context";

export type NeedsFreshSignIn = { ok: false; code: "reauthentication_required" };

/**
 * Null when the last proof is recent enough; otherwise the refusal to answer with. The proof is
 * the session's, and — when the request came with an access token — that token's too: confirming
 * it's you renews the tokens (ASVS 5.0 7.2.4), so a token copied before does not share the fresh
 * window.
 */
export async function needsFreshSignIn(actor: Actor, ctx: ActionContext): Promise<NeedsFreshSignIn | null> {
  const session = await ctx.db.session.findUnique({ where: { id: actor.sessionId }, select: { authenticatedAt: true, createdAt: true } });
  const sessionProof = session?.authenticatedAt ?? session?.createdAt;
  const provedAt = sessionProof && actor.authenticatedAt && actor.authenticatedAt < sessionProof ? actor.authenticatedAt : sessionProof;
  const fresh = provedAt && ctx.now.getTime() - provedAt.getTime() <= ctx.config.reauthMaxAgeSeconds * 1000;
  return fresh ? null : { ok: false, code: "reauthentication_required" };
}

/**
 * The password again, in this session — and, with an authenticator app on, its code too: otherwise
 * a stale session and a shoulder-surfed password could add a passkey and leave the second factor
 * behind. Limited and recorded like any password check from a session; a right answer makes the
 * session's proof fresh (and the next access token's auth_time).
 */
export async function reauthenticate(
  actor: Actor,
  input: { password: string; code?: string },
  ctx: ActionContext,
): Promise<{ ok: true } | { ok: false; code: "wrong_password" | "reauth_code_required" | "code_incorrect" } | RateLimited> {
  const checked = await checkCurrentPassword(actor, input.password, ctx, { type: "reauthentication_failed", detail: "wrong password" });
  if (!checked.ok) return checked;
  const factor = await getTotpFactor(ctx.db, actor.userId);
  let amr = "pwd";
  if (factor?.confirmedAt) {
    if (!input.code) return { ok: false, code: "reauth_code_required" };
    const proof = await proveSecondFactor(actor.userId, input.code, ctx, { sessionId: actor.sessionId });
    if (proof !== "proved") {
      if (typeof proof === "object") return proof;
      await record(ctx, { ...actor, type: "reauthentication_failed", detail: "wrong code" });
      return { ok: false, code: "code_incorrect" };
    }
    amr = "pwd,otp,mfa";
  }
  await markSignInFresh(actor, amr, ctx);
  return { ok: true };
}

/**
 * Confirming it's you renews the session's tokens (ASVS 5.0 7.2.4): after `prove` succeeds, the
 * browser's refresh token is rotated through the one refresh path (the old one consumed, with the
 * grace window for tabs that hold it) and new cookies are issued, whose access token carries the
 * new auth_time. Checked first, before a password or code is spent: the refresh token must be
 * this session's current one — a copy rotated long ago is a reuse, and ends the session.
 */
export async function withRenewedTokens<R extends { ok: boolean }>(
  actor: Actor,
  heldRefreshToken: string | undefined,
  ctx: ActionContext,
  prove: () => Promise<R>,
): Promise<(R & { ok: true; tokens: IssuedTokens }) | Exclude<R, { ok: true }> | { ok: false; code: "unauthenticated" }> {
  const held = heldRefreshToken ? await inspectRefreshToken(ctx.db, heldRefreshToken, ctx.config, ctx.now) : null;
  if (!held || held.session.id !== actor.sessionId) return { ok: false, code: "unauthenticated" };
  if (!held.current) {
    await refreshTokens(heldRefreshToken, ctx); // the reuse path: ends the session, mails, records
    return { ok: false, code: "unauthenticated" };
  }
  const proved = await prove();
  if (!proved.ok) return proved as Exclude<R, { ok: true }>;
  const renewed = await refreshTokens(heldRefreshToken, ctx);
  if (!renewed.ok) return { ok: false, code: "unauthenticated" };
  return { ...(proved as R & { ok: true }), tokens: renewed.tokens };
}

/** This session's proof is now (and the next access token's auth_time and amr say so). */
export async function markSignInFresh(actor: Actor, amr: string, ctx: ActionContext): Promise<void> {
  await ctx.db.session.update({ where: { id: actor.sessionId }, data: { authenticatedAt: ctx.now, amr } });
  await record(ctx, { ...actor, type: "reauthenticated", detail: howProved(amr) });
}

/** The words the security activity shows for an `amr`. */
function howProved(amr: string): string {
  if (amr.includes("wk")) return "with a passkey";
  const first = amr.includes("fed") ? "through a provider" : "with the password";
  return amr.includes("otp") ? `${first} and the app's code` : first;
}
