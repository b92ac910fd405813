import { answerRefusal, json } from "@/lib/edge/answer";
import { secondStepCookieName } from "@/lib/edge/cookies";
import { startPasskeySecondStep } from "@/lib/server/actions/passkeys";
import { route } from "@/lib/server/route";

// A passkey instead of the app's code at the second step: options for navigator.credentials.get()
// offering the account's passkeys, bound to the pending sign-in's cookie.
export const POST = route(async (request, ctx) => {
  const pendingToken = request.cookies.get(secondStepCookieName(ctx.config))?.value ?? "";
  const started = await startPasskeySecondStep(pendingToken, ctx);
  if (!started.ok) return answerRefusal("json", started, { page: "/login/verify" });
  return json({ options: started.options });
});
