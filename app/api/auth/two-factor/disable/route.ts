import { accountDone, answerFailure, CONFIRM_FORM } from "@/lib/edge/answer";
import { apiError } from "@/lib/edge/errors";
import { inputMode } from "@/lib/edge/read-input";
import { disableTwoFactor } from "@/lib/server/actions/two-factor";
import { withSession } from "@/lib/server/route";

export const POST = withSession(async (request, { actor }, ctx) => {
  const result = await disableTwoFactor(actor, ctx);
  if (!result.ok) {
    const page = result.code === "reauthentication_required" ? CONFIRM_FORM : { page: "/account", fragment: "two-factor-section" };
    return answerFailure(inputMode(request), apiError(result.code), page);
  }
  return accountDone(request, "two_factor_disabled");
});
