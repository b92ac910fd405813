import { answerFailure, answerSignedIn, withCookies } from "@/lib/edge/answer";
import { clearedSignUpCookie, deviceIdOf, signUpCookieName } from "@/lib/edge/cookies";
import { fieldsFromForm, signUpCodeInput } from "@/lib/edge/credentials";
import { apiError } from "@/lib/edge/errors";
import { readInput } from "@/lib/edge/read-input";
import { finishSignUp } from "@/lib/server/actions/sign-up";
import { route } from "@/lib/server/route";

// The code from the mail creates the account and signs the person in. The challenge it belongs to
// comes from the form (a link opened in another browser) or from this browser's sign-up cookie.
export const POST = route(async (request, ctx) => {
  const input = await readInput(request, signUpCodeInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  const fromCookie = request.cookies.get(signUpCookieName(ctx.config))?.value;
  const challengeId = (input.ok ? input.data.challenge : undefined) ?? fromCookie;
  const page = challengeId && challengeId !== fromCookie ? `/register/verify?challenge=${encodeURIComponent(challengeId)}` : "/register/verify";
  if (!input.ok) return answerFailure(input.mode, input.error, { page });
  if (!challengeId) return answerFailure(input.mode, apiError("code_expired"), { page });

  const result = await finishSignUp({ challengeId, code: input.data.code, deviceId: deviceIdOf(request, ctx.config) }, ctx);
  if (!result.ok) {
    const refusal = result.code === "code_incorrect" ? apiError("code_incorrect", { message: `That code isn’t right. ${triesLeft(result.triesLeft)}` }) : apiError(result.code);
    return answerFailure(input.mode, refusal, { page });
  }
  return withCookies(answerSignedIn(input.mode, result, "/dashboard", 201), [clearedSignUpCookie(ctx.config)]);
});

function triesLeft(n: number): string {
  return n === 0 ? "No tries left: ask for a new code." : `${n} ${n === 1 ? "try" : "tries"} left.`;
}
