import { answerFailure, answerRefusal, answerSignedIn, withCookies } from "@/lib/edge/answer";
import { clearedPasskeyAttemptCookie, heldByBrowser, passkeyAttemptCookieName } from "@/lib/edge/cookies";
import { fieldsFromForm } from "@/lib/edge/credentials";
import { apiError } from "@/lib/edge/errors";
import { readInput } from "@/lib/edge/read-input";
import { passkeyResponseInput } from "@/lib/edge/webauthn-input";
import { finishPasskeySignIn } from "@/lib/server/actions/passkeys";
import { route } from "@/lib/server/route";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";

// Signing in with a passkey: one step, no password, no second factor.
export const POST = route(async (request, ctx) => {
  const input = await readInput(request, passkeyResponseInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, { page: "/login" });
  const browserNonce = request.cookies.get(passkeyAttemptCookieName(ctx.config))?.value ?? "";
  const result = await finishPasskeySignIn(
    { browserNonce, response: input.data.response as unknown as AuthenticationResponseJSON, remember: input.data.remember, browser: heldByBrowser(request, ctx.config) },
    ctx,
  );
  if (!result.ok && result.code === "account_locked") return answerRefusal(input.mode, result, { page: "/login" });
  // A failed answer leaves the cookie: another ceremony of this browser may still be under way.
  if (!result.ok) return answerFailure(input.mode, apiError("passkey_failed", { message: result.why }), { page: "/login" });
  return withCookies(answerSignedIn(input.mode, result, input.data.next), [clearedPasskeyAttemptCookie(ctx.config)]);
});
