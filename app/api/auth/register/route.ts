import { answerFailure, answerMailSent, answerRefusal, weakPasswordError } from "@/lib/edge/answer";
import { signUpCookie } from "@/lib/edge/cookies";
import { credentialsFromForm, registerInput } from "@/lib/edge/credentials";
import { readInput } from "@/lib/edge/read-input";
import { startSignUp } from "@/lib/server/actions/sign-up";
import { route } from "@/lib/server/route";

const FORM = { page: "/register" };

// The same answer whether or not the address has an account: 202, one body, one cookie.
export const POST = route(async (request, ctx) => {
  const input = await readInput(request, registerInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: credentialsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, { ...FORM, echo: input.raw, cookies: ctx.config });

  const result = await startSignUp(input.data, ctx);
  if (!result.ok && result.code === "password_too_weak") {
    return answerFailure(input.mode, weakPasswordError(input.mode, result.why, "password"), { ...FORM, echo: input.data, cookies: ctx.config });
  }
  if (!result.ok) return answerRefusal(input.mode, result, { ...FORM, echo: input.data, cookies: ctx.config });
  return answerMailSent(input.mode, { status: "verification_sent" }, "/register/verify", [signUpCookie(result.challengeId, ctx.config)]);
});
