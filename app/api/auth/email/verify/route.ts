import { accountDone, answerFailure, answerRefusal, json } from "@/lib/edge/answer";
import { fieldsFromForm, verifyCodeInput } from "@/lib/edge/credentials";
import { apiError } from "@/lib/edge/errors";
import { inputMode, readInput } from "@/lib/edge/read-input";
import { finishEmailChange } from "@/lib/server/actions/change-email";
import { withSession } from "@/lib/server/route";

export const POST = withSession(async (request, { actor }, ctx) => {
  const input = await readInput(request, verifyCodeInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  const sent = input.ok ? undefined : (input.raw as { challenge?: unknown } | undefined)?.challenge;
  const challenge = input.ok ? input.data.challenge : typeof sent === "string" ? sent : "";
  const page = `/account/email?challenge=${encodeURIComponent(challenge)}`;
  if (!input.ok) return answerFailure(input.mode, input.error, { page });

  const result = await finishEmailChange(actor, { challengeId: input.data.challenge, code: input.data.code }, ctx);
  if (!result.ok && result.code === "rate_limited") return answerRefusal(input.mode, result, { page });
  if (!result.ok) {
    const refusal = result.code === "code_incorrect" ? apiError("code_incorrect", { message: `That code isn’t right. ${result.triesLeft} ${result.triesLeft === 1 ? "try" : "tries"} left.` }) : apiError(result.code);
    return answerFailure(input.mode, refusal, { page });
  }
  return inputMode(request) === "form" ? accountDone(request, "email_changed") : json({ user: { id: actor.userId, email: result.email } });
});
