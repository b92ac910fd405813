import { randomBytes } from "node:crypto";
import { answerRefusal, json, withCookies } from "@/lib/edge/answer";
import { passkeyAttemptCookie, passkeyAttemptCookieName } from "@/lib/edge/cookies";
import { startPasskeySignIn } from "@/lib/server/actions/passkeys";
import { route } from "@/lib/server/route";

// Options for navigator.credentials.get(); the challenge is bound to this browser by a short-lived
// HttpOnly cookie, the same for every ceremony the browser runs (autofill and button at once).
export const POST = route(async (request, ctx) => {
  const held = request.cookies.get(passkeyAttemptCookieName(ctx.config))?.value;
  const nonce = held && /^[A-Za-z0-9_-]{43}$/.test(held) ? held : randomBytes(32).toString("base64url");
  const started = await startPasskeySignIn(nonce, ctx);
  if (!started.ok) return answerRefusal("json", started, { page: "/login" });
  return withCookies(json({ options: started.options }), [passkeyAttemptCookie(nonce, ctx.config)]);
});
