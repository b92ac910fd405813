import { answerFailure, answerRefusal, json, withCookies } from "@/lib/edge/answer";
import { clearedSecondStepCookie, heldByBrowser, secondStepCookieName } from "@/lib/edge/cookies";
import { fieldsFromForm } from "@/lib/edge/credentials";
import { apiError } from "@/lib/edge/errors";
import { safeNextPath } from "@/lib/edge/next-path";
import { readInput } from "@/lib/edge/read-input";
import { passkeyResponseInput } from "@/lib/edge/webauthn-input";
import { finishPasskeySecondStep } from "@/lib/server/actions/passkeys";
import { route } from "@/lib/server/route";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";

// The passkey's answer finishes the pending sign-in, as a right code would.
export const POST = route(async (request, ctx) => {
  const input = await readInput(request, passkeyResponseInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, { page: "/login/verify" });
  const pendingToken = request.cookies.get(secondStepCookieName(ctx.config))?.value ?? "";
  const response = input.data.response as unknown as AuthenticationResponseJSON;
  const result = await finishPasskeySecondStep({ pendingToken, response, browser: heldByBrowser(request, ctx.config) }, ctx);
  if (!result.ok && result.code === "passkey_failed") return answerFailure("json", apiError("passkey_failed", { message: result.why }), { page: "/login/verify" });
  if (!result.ok) return withCookies(answerRefusal("json", result, { page: "/login/verify" }), result.code === "sign_in_expired" ? [clearedSecondStepCookie(ctx.config)] : []);
  const next = safeNextPath(input.data.next);
  return withCookies(json({ user: result.user, next }), [...result.tokens.cookies, clearedSecondStepCookie(ctx.config)]);
});
