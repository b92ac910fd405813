import { answerFailure, answerRefusal, noContent, seeOther, CONFIRM_FORM } from "@/lib/edge/answer";
import { fieldsFromForm, reauthenticateInput } from "@/lib/edge/credentials";
import { readInput } from "@/lib/edge/read-input";
import { reauthenticate } from "@/lib/server/actions/fresh-sign-in";
import { withSession } from "@/lib/server/route";

// The password again, for what needs a fresh sign-in (lib/server/actions/fresh-sign-in.ts).
export const POST = withSession(async (request, { actor }, ctx) => {
  const input = await readInput(request, reauthenticateInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, CONFIRM_FORM);
  const result = await reauthenticate(actor, input.data, ctx);
  if (!result.ok) return answerRefusal(input.mode, result, CONFIRM_FORM, { wrong_password: "password", reauth_code_required: "code", code_incorrect: "code" });
  return input.mode === "form" ? seeOther("/account?notice=reauthenticated#danger-section") : noContent();
});
