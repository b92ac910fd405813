import { answerFailure, answerRefusal, answerSignedIn, withCookies } from "@/lib/edge/answer";
import { clearedSignUpCookie, heldByBrowser, signUpChallengeOf } from "@/lib/edge/cookies";
import { fieldsFromForm, signUpCodeInput } from "@/lib/edge/credentials";
import { apiError, ERRORS } from "@/lib/edge/errors";
import { readInput } from "@/lib/edge/read-input";
import { finishSignUp } from "@/lib/server/actions/sign-up";
import { route } from "@/lib/server/route";

// The code from the mail creates the account and signs the person in. The challenge it belongs to
// comes from this browser's sign-up cookie, or from the form (the mail's link opened in another
// browser: then the password chosen at sign-up is asked as well).
export const POST = route(async (request, ctx) => {
  const input = await readInput(request, signUpCodeInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  const fromCookie = signUpChallengeOf(request, ctx.config);
  const challengeId = (input.ok ? input.data.challenge : undefined) ?? fromCookie;
  const fromAnotherBrowser = challengeId !== fromCookie;
  const page = fromAnotherBrowser && challengeId ? `/register/verify?challenge=${encodeURIComponent(challengeId)}` : "/register/verify";
  if (!input.ok) return answerFailure(input.mode, input.error, { page });
  if (!challengeId) return answerFailure(input.mode, apiError("code_expired"), { page });

  const { code, password } = input.data;
  const result = await finishSignUp({ challengeId, code, password, fromAnotherBrowser, browser: heldByBrowser(request, ctx.config) }, ctx);
  if (!result.ok && result.code === "rate_limited") return answerRefusal(input.mode, result, { page });
  if (!result.ok) {
    const refusal =
      result.code === "code_incorrect"
        ? apiError("code_incorrect", { message: `That code isn’t right. ${triesLeft(result.triesLeft)}`, fields: { code: "code_incorrect" } })
        : result.code === "password_mismatch"
          ? apiError("password_mismatch", { message: `${ERRORS.password_mismatch.message} ${triesLeft(result.triesLeft)}`, fields: { password: "password_mismatch" } })
          : apiError(result.code);
    return answerFailure(input.mode, refusal, { page });
  }
  return withCookies(answerSignedIn(input.mode, result, "/dashboard", 201), [clearedSignUpCookie(ctx.config)]);
});

function triesLeft(n: number): string {
  return n === 0 ? "No tries left: ask for a new code." : `${n} ${n === 1 ? "try" : "tries"} left.`;
}
