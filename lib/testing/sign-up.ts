// Signing up in tests the way a person does: ask, read the code from the mail in the outbox, enter it.
import type { ActionContext } from "@/lib/server/actions/context";
import type { SignedIn } from "@/lib/server/actions/sign-in";
import { finishSignUp, startSignUp } from "@/lib/server/actions/sign-up";
import { outboxOf } from "./outbox";

/** The code in the newest mail of `kind` queued for `to` (its body opened with the ring of `ctx.config`). */
export async function codeMailedTo(ctx: Pick<ActionContext, "db" | "config">, to: string, kind = "sign_up_code"): Promise<string> {
  const mail = await outboxOf(ctx.db, ctx.config).newestMail(to, kind);
  const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
  if (!code) throw new Error(`no code in the mail to ${to}:\n${mail.text}`);
  return code;
}

export async function signUpThroughMail(input: { email: string; password: string; remember: boolean }, ctx: ActionContext): Promise<SignedIn> {
  const started = await startSignUp(input, ctx);
  if (!started.ok) throw new Error(`sign-up refused: ${started.code}`);
  const result = await finishSignUp({ challengeId: started.challengeId, code: await codeMailedTo(ctx, input.email) }, ctx);
  if (!result.ok) throw new Error(`sign-up code refused: ${result.code}`);
  return result;
}
