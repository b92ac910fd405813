import { accountDone } from "@/lib/edge/answer";
import { endOtherSessions } from "@/lib/server/actions/account-sessions";
import { withSession } from "@/lib/server/route";

export const POST = withSession(async (request, { actor }, ctx) => {
  await endOtherSessions(actor, ctx);
  return accountDone(request, "other_sessions_ended");
});
