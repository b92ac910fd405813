import { answerFailure, answerMailSent, answerRefusal } from "@/lib/edge/answer";
import { signUpChallengeOf, signUpCookie } from "@/lib/edge/cookies";
import { fieldsFromForm, resendSignUpInput } from "@/lib/edge/credentials";
import { apiError } from "@/lib/edge/errors";
import { readInput } from "@/lib/edge/read-input";
import { resendSignUpCode } from "@/lib/server/actions/sign-up";
import { route } from "@/lib/server/route";

export const POST = route(async (request, ctx) => {
  const input = await readInput(request, resendSignUpInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  const fromCookie = signUpChallengeOf(request, ctx.config);
  const challengeId = (input.ok ? input.data.challenge : undefined) ?? fromCookie;
  const page = challengeId && challengeId !== fromCookie ? `/register/verify?challenge=${encodeURIComponent(challengeId)}` : "/register/verify";
  if (!input.ok) return answerFailure(input.mode, input.error, { page });
  if (!challengeId) return answerFailure(input.mode, apiError("code_expired"), { page });

  const result = await resendSignUpCode({ challengeId }, ctx);
  if (!result.ok) return answerRefusal(input.mode, result, { page });
  // The new code lives 15 minutes from now: so does this browser's hold on it.
  const cookies = challengeId === fromCookie ? [signUpCookie(challengeId, ctx.config)] : [];
  return answerMailSent(input.mode, { status: "verification_sent" }, `${page}${page.includes("?") ? "&" : "?"}notice=code_sent`, cookies);
});
