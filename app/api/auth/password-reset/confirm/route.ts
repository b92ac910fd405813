import { answerFailure, answerMailSent, answerRefusal, answerSignedIn, weakPasswordError } from "@/lib/edge/answer";
import { heldByBrowser, secondStepCookie } from "@/lib/edge/cookies";
import { fieldsFromForm, passwordResetInput } from "@/lib/edge/credentials";
import { readInput } from "@/lib/edge/read-input";
import { resetPassword } from "@/lib/server/actions/password-reset";
import { route } from "@/lib/server/route";

// Submitting the new password is what uses the link up (opening it only showed this form).
export const POST = route(async (request, ctx) => {
  const input = await readInput(request, passwordResetInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) {
    const token = typeof (input.raw as { token?: unknown } | undefined)?.token === "string" ? (input.raw as { token: string }).token : "";
    return answerFailure(input.mode, input.error, { page: `/reset-password?token=${encodeURIComponent(token)}` });
  }
  const result = await resetPassword({ ...input.data, browser: heldByBrowser(request, ctx.config) }, ctx);
  if (!result.ok && result.code === "password_too_weak") {
    return answerFailure(input.mode, weakPasswordError(input.mode, result.why, "password"), { page: `/reset-password?token=${encodeURIComponent(input.data.token)}` });
  }
  if (!result.ok && result.code === "second_factor_required") {
    // Nothing is changed yet: the new password waits for the authenticator's code.
    return answerMailSent(input.mode, { status: "second_factor_required", next: "/login/verify?next=%2Faccount" }, "/login/verify?next=%2Faccount", [secondStepCookie(result.pendingToken, ctx.config)]);
  }
  if (!result.ok) return answerRefusal(input.mode, result, { page: "/reset-password" });
  return answerSignedIn(input.mode, result, "/account?notice=password_reset");
});
