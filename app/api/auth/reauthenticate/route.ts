import { answerFailure, answerRefusal, CONFIRM_FORM, failWith, noContent, seeOther, withCookies } from "@/lib/edge/answer";
import { cookieNames } from "@/lib/edge/cookies";
import { fieldsFromForm, reauthenticateInput } from "@/lib/edge/credentials";
import { readInput } from "@/lib/edge/read-input";
import { reauthenticate, withRenewedTokens } from "@/lib/server/actions/fresh-sign-in";
import { withSession } from "@/lib/server/route";

// The password again (and the app's code, when it is on), for what needs a fresh sign-in
// (lib/server/actions/fresh-sign-in.ts). The session's tokens are renewed with it.
export const POST = withSession(async (request, { actor }, ctx) => {
  const input = await readInput(request, reauthenticateInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, CONFIRM_FORM);
  const held = request.cookies.get(cookieNames(ctx.config).refresh)?.value;
  const result = await withRenewedTokens(actor, held, ctx, () => reauthenticate(actor, input.data, ctx));
  if (!result.ok && result.code === "unauthenticated") return input.mode === "form" ? seeOther("/login?next=%2Faccount") : failWith("unauthenticated");
  if (!result.ok) return answerRefusal(input.mode, result, CONFIRM_FORM, { wrong_password: "password", reauth_code_required: "code", code_incorrect: "code" });
  return withCookies(input.mode === "form" ? seeOther("/account?notice=reauthenticated#danger-section") : noContent(), result.tokens.cookies);
});
