// Accounts with two-step sign-in in action tests: signed up through the mail, an authenticator
// app set up and confirmed with its first code, the way a person does it.
import assert from "node:assert/strict";
import type { ActionContext } from "@/lib/server/actions/context";
import { signIn } from "@/lib/server/actions/sign-in";
import { confirmTotpSetup, startTotpSetup } from "@/lib/server/actions/two-factor";
import { totpCodeAt } from "@/lib/server/totp";
import { signUpThroughMail } from "./sign-up";

type Contexts = (seconds?: number) => ActionContext;

/**
 * A new account with an app on (set up 1–2 s after `ctx()`): its address, session, app key and
 * recovery codes. The app and its codes are then dated two days back, as set up a while ago: a way
 * in added less than a day ago keeps the address from moving (change-email.ts).
 */
export async function accountWithApp(ctx: Contexts, input: { email: string; password: string }) {
  const signedUp = await signUpThroughMail({ ...input, remember: true }, ctx());
  const session = await ctx().db.session.findFirstOrThrow({ where: { userId: signedUp.user.id } });
  const actor = { userId: signedUp.user.id, sessionId: session.id };
  const setup = await startTotpSetup(actor, ctx(1));
  assert.ok(setup.ok);
  const confirmed = await confirmTotpSetup(actor, { code: totpCodeAt(setup.secret, ctx(2).now) }, ctx(2));
  assert.ok(confirmed.ok);
  const earlier = new Date(ctx().now.getTime() - 2 * 24 * 3600_000);
  await ctx().db.totpFactor.update({ where: { userId: actor.userId }, data: { createdAt: earlier, confirmedAt: earlier } });
  await ctx().db.recoveryCode.updateMany({ where: { userId: actor.userId }, data: { createdAt: earlier } });
  return { address: input.email, signedUp, actor, secret: setup.secret, recoveryCodes: confirmed.recoveryCodes };
}

/** The password step of a sign-in to an account with an app: the pending sign-in's token. */
export async function passwordStep(ctx: ActionContext, input: { email: string; password: string }): Promise<string> {
  const first = await signIn({ ...input, remember: true }, ctx);
  assert.equal(!first.ok && first.code, "second_factor_required");
  return (first as { pendingToken: string }).pendingToken;
}
