import { answerFailure, answerRefusal, json, seeOther, withCookies } from "@/lib/edge/answer";
import { safeNextPath } from "@/lib/edge/next-path";
import { clearedSecondStepCookie, heldByBrowser, secondStepCookieName } from "@/lib/edge/cookies";
import { fieldsFromForm, secondFactorInput } from "@/lib/edge/credentials";
import { apiError } from "@/lib/edge/errors";
import { readInput } from "@/lib/edge/read-input";
import { finishSignInWithSecondFactor } from "@/lib/server/actions/two-factor";
import { route } from "@/lib/server/route";

// The second step of a sign-in: a code from the authenticator app, or a recovery code.
export const POST = route(async (request, ctx) => {
  const input = await readInput(request, secondFactorInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  const back = input.ok && input.data.next ? `?next=${encodeURIComponent(safeNextPath(input.data.next))}` : "";
  const page = `/login/verify${back}`;
  if (!input.ok) return answerFailure(input.mode, input.error, { page });

  const pendingToken = request.cookies.get(secondStepCookieName(ctx.config))?.value ?? "";
  const result = await finishSignInWithSecondFactor({ pendingToken, code: input.data.code, browser: heldByBrowser(request, ctx.config) }, ctx);
  if (!result.ok && result.code === "sign_in_expired") {
    // Start again from the password; the spent attempt's cookie goes.
    const answer = input.mode === "form" ? seeOther(`/login?error=sign_in_expired${back ? `&${back.slice(1)}` : ""}`) : answerFailure("json", apiError("sign_in_expired"), { page });
    return withCookies(answer, [clearedSecondStepCookie(ctx.config)]);
  }
  if (!result.ok && result.code === "code_incorrect") {
    const left = result.triesLeft === 0 ? "No tries left: sign in again." : `${result.triesLeft} ${result.triesLeft === 1 ? "try" : "tries"} left.`;
    return answerFailure(input.mode, apiError("code_incorrect", { message: `That code isn’t right. ${left}`, fields: { code: "code_incorrect" } }), { page });
  }
  if (!result.ok) return answerRefusal(input.mode, result, { page });
  // Signed in with a recovery code: the account page says how many are left.
  const left = result.recoveryCodesLeft;
  const next = left === undefined ? safeNextPath(input.data.next) : `/account?recovery_codes_left=${left}#two-factor-section`;
  const answer =
    input.mode === "form"
      ? seeOther(next)
      : json({ user: result.user, next, ...(left === undefined ? {} : { recoveryCodesLeft: left }) });
  return withCookies(answer, [...result.tokens.cookies, clearedSecondStepCookie(ctx.config)]);
});
