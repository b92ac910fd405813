import { answerFailure, answerRefusal, json } from "@/lib/edge/answer";
import { fieldsFromForm, totpCodeInput } from "@/lib/edge/credentials";
import { apiError } from "@/lib/edge/errors";
import { readInput } from "@/lib/edge/read-input";
import { confirmTotpSetup } from "@/lib/server/actions/two-factor";
import { withSession } from "@/lib/server/route";

const PAGE = { page: "/account", fragment: "two-factor-section" };

export const POST = withSession(async (request, { actor }, ctx) => {
  const input = await readInput(request, totpCodeInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, PAGE);
  const result = await confirmTotpSetup(actor, input.data, ctx);
  if (!result.ok && result.code === "code_incorrect") return answerFailure(input.mode, apiError("code_incorrect", { fields: { code: "code_incorrect" } }), PAGE);
  if (!result.ok) return answerRefusal(input.mode, result, PAGE);
  return json({ recoveryCodes: result.recoveryCodes });
});
