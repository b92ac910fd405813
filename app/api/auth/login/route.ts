import { answerFailure, answerRefusal, answerSignedIn } from "@/lib/edge/answer";
import { cookieNames, deviceIdOf } from "@/lib/edge/cookies";
import { credentialsFromForm, loginInput } from "@/lib/edge/credentials";
import { readInput } from "@/lib/edge/read-input";
import { signIn } from "@/lib/server/actions/sign-in";
import { route } from "@/lib/server/route";

const FORM = { page: "/login" };

export const POST = route(async (request, ctx) => {
  const input = await readInput(request, loginInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: credentialsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, { ...FORM, echo: input.raw, cookies: ctx.config });

  const previousRefreshToken = request.cookies.get(cookieNames(ctx.config).refresh)?.value;
  const result = await signIn({ ...input.data, previousRefreshToken, deviceId: deviceIdOf(request, ctx.config) }, ctx);
  if (!result.ok) return answerRefusal(input.mode, result, { ...FORM, echo: input.data, cookies: ctx.config });
  return answerSignedIn(input.mode, result, input.data.next);
});
