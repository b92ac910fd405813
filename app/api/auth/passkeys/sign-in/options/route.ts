import { json, withCookies } from "@/lib/edge/answer";
import { passkeyAttemptCookie } from "@/lib/edge/cookies";
import { startPasskeySignIn } from "@/lib/server/actions/passkeys";
import { route } from "@/lib/server/route";

// Options for navigator.credentials.get(); the attempt's challenge is bound to this browser by a
// short-lived HttpOnly cookie.
export const POST = route(async (_request, ctx) => {
  const { options, attemptId } = await startPasskeySignIn(ctx);
  return withCookies(json({ options }), [passkeyAttemptCookie(attemptId, ctx.config)]);
});
