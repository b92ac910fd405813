import { answerFailure, answerMailSent, answerRefusal } from "@/lib/edge/answer";
import { fieldsFromForm, passwordResetRequestInput } from "@/lib/edge/credentials";
import { readInput } from "@/lib/edge/read-input";
import { requestPasswordReset } from "@/lib/server/actions/password-reset";
import { route } from "@/lib/server/route";

const FORM = { page: "/forgot-password" };

// 202 for any address: whether it has an account is the mailbox's business, nobody else's.
export const POST = route(async (request, ctx) => {
  const input = await readInput(request, passwordResetRequestInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, { ...FORM, echo: input.raw, cookies: ctx.config });

  const result = await requestPasswordReset(input.data, ctx);
  if (!result.ok) return answerRefusal(input.mode, result, { ...FORM, echo: input.data, cookies: ctx.config });
  return answerMailSent(input.mode, { status: "reset_sent" }, "/forgot-password?sent=1");
});
