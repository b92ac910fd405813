import { accountDone, answerFailure, CONFIRM_FORM, seeOther } from "@/lib/edge/answer";
import { providerCookieName } from "@/lib/edge/cookies";
import { apiError } from "@/lib/edge/errors";
import { inputMode } from "@/lib/edge/read-input";
import { confirmPendingLink } from "@/lib/server/actions/providers";
import { withSession } from "@/lib/server/route";

// The account's owner, signed in, connects the provider identity this browser brought back.
export const POST = withSession(async (request, { actor }, ctx) => {
  const result = await confirmPendingLink(actor, request.cookies.get(providerCookieName(ctx.config))?.value, ctx);
  if (!result.ok && result.code === "reauthentication_required") return answerFailure(inputMode(request), apiError(result.code), CONFIRM_FORM);
  if (!result.ok) return inputMode(request) === "form" ? seeOther(`/account/connect?error=${result.code}`) : answerFailure("json", apiError(result.code), { page: "/account/connect" });
  return accountDone(request, "provider_connected");
});
