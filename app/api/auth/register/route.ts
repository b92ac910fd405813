import { answerFailure, answerRefusal, answerSignedIn } from "@/lib/edge/answer";
import { credentialsFromForm, registerInput } from "@/lib/edge/credentials";
import { readInput } from "@/lib/edge/read-input";
import { signUp } from "@/lib/server/actions/sign-up";
import { route } from "@/lib/server/route";

const FORM = { page: "/register" };

export const POST = route(async (request, ctx) => {
  const input = await readInput(request, registerInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: credentialsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, { ...FORM, echo: input.raw, cookies: ctx.config });

  const result = await signUp(input.data, ctx);
  if (!result.ok) return answerRefusal(input.mode, result, { ...FORM, echo: input.data, cookies: ctx.config });
  return answerSignedIn(input.mode, result, input.data.next, 201);
});
