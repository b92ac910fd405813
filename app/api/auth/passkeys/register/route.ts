import { answerFailure, json } from "@/lib/edge/answer";
import { fieldsFromForm } from "@/lib/edge/credentials";
import { apiError } from "@/lib/edge/errors";
import { readInput } from "@/lib/edge/read-input";
import { passkeyResponseInput } from "@/lib/edge/webauthn-input";
import { finishAddingPasskey } from "@/lib/server/actions/passkeys";
import { withSession } from "@/lib/server/route";
import type { RegistrationResponseJSON } from "@simplewebauthn/server";

export const POST = withSession(async (request, { actor }, ctx) => {
  const input = await readInput(request, passkeyResponseInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, { page: "/account" });
  const result = await finishAddingPasskey(actor, { response: input.data.response as unknown as RegistrationResponseJSON }, ctx);
  if (!result.ok) return answerFailure(input.mode, result.code === "passkey_failed" ? apiError("passkey_failed", { message: result.why }) : apiError(result.code), { page: "/account" });
  return json({ passkey: { id: result.id, name: result.name } }, 201);
});
