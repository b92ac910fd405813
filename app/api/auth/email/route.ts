import { answerFailure, answerMailSent, answerRefusal, CONFIRM_FORM } from "@/lib/edge/answer";
import { changeEmailInput, fieldsFromForm } from "@/lib/edge/credentials";
import { apiError, ERRORS } from "@/lib/edge/errors";
import { readInput } from "@/lib/edge/read-input";
import { requestEmailChange } from "@/lib/server/actions/change-email";
import { withSession } from "@/lib/server/route";

const ACCOUNT_FORM = { page: "/account?form=email", fragment: "email-section" };

export const POST = withSession(async (request, { actor }, ctx) => {
  const input = await readInput(request, changeEmailInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, ACCOUNT_FORM);

  const result = await requestEmailChange(actor, input.data, ctx);
  if (!result.ok && result.code === "email_change_too_soon") {
    const hours = Math.max(1, Math.ceil(result.retryAfterSeconds / 3600));
    const error = apiError("email_change_too_soon", { message: `${ERRORS.email_change_too_soon.message} Try again in ${hours} ${hours === 1 ? "hour" : "hours"}.` });
    return answerFailure(input.mode, error, ACCOUNT_FORM, { "retry-after": String(result.retryAfterSeconds) });
  }
  if (!result.ok) return answerRefusal(input.mode, result, result.code === "reauthentication_required" ? CONFIRM_FORM : ACCOUNT_FORM, { email_unchanged: "email" });
  return answerMailSent(input.mode, { status: "verification_sent", challenge: result.challengeId }, `/account/email?challenge=${result.challengeId}`);
});
