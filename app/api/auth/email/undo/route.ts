import { answerFailure, json, seeOther, withoutTokenCookies } from "@/lib/edge/answer";
import { fieldsFromForm, undoEmailChangeInput } from "@/lib/edge/credentials";
import { apiError } from "@/lib/edge/errors";
import { readInput } from "@/lib/edge/read-input";
import { undoEmailChange } from "@/lib/server/actions/change-email";
import { route } from "@/lib/server/route";

// "This wasn't me", from the mail to an address the account left. Needs no session: the person it
// protects may have none left. Every session of the account ends, this browser's included.
export const POST = route(async (request, ctx) => {
  const input = await readInput(request, undoEmailChangeInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, { page: "/undo-email-change" });

  const result = await undoEmailChange(input.data, ctx);
  if (!result.ok) return answerFailure(input.mode, apiError(result.code), { page: "/undo-email-change" });
  const answer = input.mode === "form" ? seeOther(`/undo-email-change?done=${result.outcome}`) : json({ status: result.outcome });
  return withoutTokenCookies(answer, ctx.config);
});
