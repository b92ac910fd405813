import { answerFailure, answerMailSent, answerRefusal } from "@/lib/edge/answer";
import { signUpCookieName } from "@/lib/edge/cookies";
import { fieldsFromForm, resendSignUpInput } from "@/lib/edge/credentials";
import { apiError } from "@/lib/edge/errors";
import { readInput } from "@/lib/edge/read-input";
import { resendSignUpCode } from "@/lib/server/actions/sign-up";
import { route } from "@/lib/server/route";

export const POST = route(async (request, ctx) => {
  const input = await readInput(request, resendSignUpInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  const fromCookie = request.cookies.get(signUpCookieName(ctx.config))?.value;
  const challengeId = (input.ok ? input.data.challenge : undefined) ?? fromCookie;
  const page = challengeId && challengeId !== fromCookie ? `/register/verify?challenge=${encodeURIComponent(challengeId)}` : "/register/verify";
  if (!input.ok) return answerFailure(input.mode, input.error, { page });
  if (!challengeId) return answerFailure(input.mode, apiError("code_expired"), { page });

  const result = await resendSignUpCode({ challengeId }, ctx);
  if (!result.ok) return answerRefusal(input.mode, result, { page });
  return answerMailSent(input.mode, { status: "verification_sent" }, `${page}${page.includes("?") ? "&" : "?"}notice=code_sent`);
});
