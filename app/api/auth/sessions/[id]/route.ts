import { accountDone, answerFailure, CONFIRM_FORM, failWith, withoutTokenCookies } from "@/lib/edge/answer";
import { apiError } from "@/lib/edge/errors";
import { inputMode } from "@/lib/edge/read-input";
import { endSession } from "@/lib/server/actions/account-sessions";
import { withSession } from "@/lib/server/route";

type Context = { params: Promise<{ id: string }> };

const end = withSession<Context>(async (request, { actor }, ctx, { params }) => {
  const result = await endSession(actor, (await params).id, ctx);
  if (!result.ok && result.code === "reauthentication_required") return answerFailure(inputMode(request), apiError(result.code), CONFIRM_FORM);
  if (!result.ok) return failWith(result.code);
  const response = accountDone(request, "session_ended");
  // Ending the session this browser holds is signing out: drop its cookies too.
  return result.wasCurrent ? withoutTokenCookies(response, ctx.config) : response;
});

export const DELETE = end;
// HTML forms cannot send DELETE: a form post to the same address does the same.
export const POST = end;
