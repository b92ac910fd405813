import { answerFailure, answerRefusal, failWith, json, seeOther, withCookies } from "@/lib/edge/answer";
import { cookieNames, providerCookieName } from "@/lib/edge/cookies";
import { confirmationCodeInput, fieldsFromForm } from "@/lib/edge/credentials";
import { readInput } from "@/lib/edge/read-input";
import { finishConfirmationWithCode } from "@/lib/server/actions/providers";
import { withSession } from "@/lib/server/route";

const FORM = { page: "/account/confirm-code" };

// The app's code after a provider signed the person in again (confirming it's you on an account
// with two-step sign-in): the tokens are renewed, the session fresh.
export const POST = withSession(async (request, { actor }, ctx) => {
  const input = await readInput(request, confirmationCodeInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, FORM);
  const result = await finishConfirmationWithCode(
    actor,
    { browserValue: request.cookies.get(providerCookieName(ctx.config))?.value, code: input.data.code, refreshToken: request.cookies.get(cookieNames(ctx.config).refresh)?.value },
    ctx,
  );
  if (!result.ok && result.code === "unauthenticated") return input.mode === "form" ? seeOther("/login?next=%2Faccount") : failWith("unauthenticated");
  if (!result.ok) return answerRefusal(input.mode, result, FORM, { code_incorrect: "code" });
  const next = `${result.next.split("#")[0]}${result.next.includes("?") ? "&" : "?"}notice=reauthenticated`;
  return withCookies(input.mode === "form" ? seeOther(next) : json({ next }), result.tokens.cookies);
});
