import { accountDone, answerFailure, CONFIRM_FORM } from "@/lib/edge/answer";
import { apiError } from "@/lib/edge/errors";
import { inputMode } from "@/lib/edge/read-input";
import { endOtherSessions } from "@/lib/server/actions/account-sessions";
import { withSession } from "@/lib/server/route";

export const POST = withSession(async (request, { actor }, ctx) => {
  const result = await endOtherSessions(actor, ctx);
  if (!result.ok) return answerFailure(inputMode(request), apiError(result.code), CONFIRM_FORM);
  return accountDone(request, "other_sessions_ended");
});
