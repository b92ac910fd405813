// Checking a second-factor code, shared by the sign-in's second step, setting an app up, and
// confirming it's you (fresh-sign-in.ts). Node only.
import "server-only";
import { takeSecondFactorCheck } from "@/lib/server/limits";
import { log } from "@/lib/server/log";
import { hashRecoveryCode, matchingStep, normaliseRecoveryCode, openSecret } from "@/lib/server/totp";
import { getTotpFactor, takeRecoveryCode, takeTotpStep } from "@/lib/server/store/two-factor";
import type { ActionContext, Actor, RateLimited } from "./context";

/** Per account, on a counter of its own, taken before the code is compared. */
export async function takeCodeCheck(actor: Pick<Actor, "userId">, ctx: ActionContext): Promise<RateLimited | null> {
  const taken = await takeSecondFactorCheck(ctx.db, actor.userId, ctx.config.limits, ctx.now);
  return taken.ok ? null : { ok: false, code: "rate_limited", retryAfterSeconds: taken.retryAfterSeconds };
}

/** The app's key, or null when it cannot be read (REFRESH_TOKEN_KEY changed since it was sealed). */
export function readableSecret(sealed: string, ctx: ActionContext): string | null {
  try {
    return openSecret(sealed, ctx.config.refreshTokenKey);
  } catch (error) {
    log().error({ err: error }, "an authenticator key cannot be read: REFRESH_TOKEN_KEY changed since it was set up (docs/security.md)");
    return null;
  }
}


/**
 * Checks a second-factor code for an account outside a sign-in (confirming it's you): an app code
 * (its step accepted once) or a recovery code (used once). Limited like the sign-in's second step.
 */
export async function proveSecondFactor(userId: string, code: string, ctx: ActionContext): Promise<"proved" | "wrong" | RateLimited> {
  const limited = await takeCodeCheck({ userId }, ctx);
  if (limited) return limited;
  const factor = await getTotpFactor(ctx.db, userId);
  if (!factor?.confirmedAt) return "wrong";
  const secret = readableSecret(factor.secret, ctx);
  const step = secret ? matchingStep(secret, code.replace(/\s/g, ""), ctx.now) : null;
  if (step !== null) return (await takeTotpStep(ctx.db, userId, step)) ? "proved" : "wrong";
  const recovery = normaliseRecoveryCode(code);
  if (!recovery) return "wrong";
  return (await takeRecoveryCode(ctx.db, userId, hashRecoveryCode(userId, recovery, ctx.config.refreshTokenKey), ctx.now)) === null ? "wrong" : "proved";
}
