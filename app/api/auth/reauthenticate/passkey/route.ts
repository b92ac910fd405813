import { answerFailure, failWith, json, noContent, withCookies } from "@/lib/edge/answer";
import { cookieNames } from "@/lib/edge/cookies";
import { fieldsFromForm } from "@/lib/edge/credentials";
import { apiError } from "@/lib/edge/errors";
import { readInput } from "@/lib/edge/read-input";
import { passkeyResponseInput } from "@/lib/edge/webauthn-input";
import { withRenewedTokens } from "@/lib/server/actions/fresh-sign-in";
import { canConfirmWithPasskey, finishConfirmingWithPasskey } from "@/lib/server/actions/passkeys";
import { withSession } from "@/lib/server/route";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";

// Whether this account has a passkey to confirm it's you with: the prompt offers one only then.
export const GET = withSession(async (_request, { actor }, ctx) => json({ available: await canConfirmWithPasskey(actor, ctx) }));

// Confirming it's you with a passkey: this session's sign-in is fresh again, its tokens renewed.
export const POST = withSession(async (request, { actor }, ctx) => {
  const input = await readInput(request, passkeyResponseInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, { page: "/account" });
  const held = request.cookies.get(cookieNames(ctx.config).refresh)?.value;
  const response = input.data.response as unknown as AuthenticationResponseJSON;
  const result = await withRenewedTokens(actor, held, ctx, () => finishConfirmingWithPasskey(actor, { response }, ctx));
  if (!result.ok && result.code === "unauthenticated") return failWith("unauthenticated");
  if (!result.ok) return answerFailure(input.mode, apiError("passkey_failed", { message: result.why }), { page: "/account" });
  return withCookies(noContent(), result.tokens.cookies);
});
