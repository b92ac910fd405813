// Creating an account, and signing in to it. Node only.
import "server-only";
import { takeSignUpAttempt } from "@/lib/server/limits";
import { metrics } from "@/lib/server/metrics";
import { createUser } from "@/lib/server/store/users";
import type { ActionContext, RateLimited } from "./context";
import { startSession, type SignedIn } from "./sign-in";

export type SignUpResult = SignedIn | RateLimited | { ok: false; code: "email_taken" };

/** Every sign-up from an IP counts, taken before the password is hashed. */
export async function signUp(
  input: { email: string; password: string; remember: boolean },
  ctx: ActionContext,
): Promise<SignUpResult> {
  const taken = await takeSignUpAttempt(ctx.db, ctx.client.ip, ctx.config.limits, ctx.now);
  if (!taken.ok) {
    metrics().signUps.inc({ outcome: "limited" });
    return { ok: false, code: "rate_limited", retryAfterSeconds: taken.retryAfterSeconds };
  }
  const created = await createUser(ctx.db, input, ctx.config, ctx.now);
  metrics().signUps.inc({ outcome: created.ok ? "created" : "email_taken" });
  if (!created.ok) return created;
  return startSession(created.user, input.remember, ctx);
}
