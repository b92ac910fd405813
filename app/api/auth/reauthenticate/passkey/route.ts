import { answerFailure, json, noContent } from "@/lib/edge/answer";
import { fieldsFromForm } from "@/lib/edge/credentials";
import { apiError } from "@/lib/edge/errors";
import { readInput } from "@/lib/edge/read-input";
import { passkeyResponseInput } from "@/lib/edge/webauthn-input";
import { canConfirmWithPasskey, finishConfirmingWithPasskey } from "@/lib/server/actions/passkeys";
import { withSession } from "@/lib/server/route";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";

// Whether this account has a passkey to confirm it's you with: the prompt offers one only then.
export const GET = withSession(async (_request, { actor }, ctx) => json({ available: await canConfirmWithPasskey(actor, ctx) }));

// Confirming it's you with a passkey: this session's sign-in is fresh again.
export const POST = withSession(async (request, { actor }, ctx) => {
  const input = await readInput(request, passkeyResponseInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, { page: "/account" });
  const result = await finishConfirmingWithPasskey(actor, { response: input.data.response as unknown as AuthenticationResponseJSON }, ctx);
  if (!result.ok) return answerFailure(input.mode, apiError("passkey_failed", { message: result.why }), { page: "/account" });
  return noContent();
});
