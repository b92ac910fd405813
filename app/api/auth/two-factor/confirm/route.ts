import { answerFailure, answerRefusal, json } from "@/lib/edge/answer";
import { fieldsFromForm, totpCodeInput } from "@/lib/edge/credentials";
import { readInput } from "@/lib/edge/read-input";
import { confirmTotpSetup } from "@/lib/server/actions/two-factor";
import { withSession } from "@/lib/server/route";

const PAGE = { page: "/account", fragment: "two-factor-section" };

export const POST = withSession(async (request, { actor }, ctx) => {
  const input = await readInput(request, totpCodeInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, PAGE);
  const result = await confirmTotpSetup(actor, input.data, ctx);
  if (!result.ok) return answerRefusal(input.mode, result, PAGE, { code_incorrect: "code" });
  return json({ recoveryCodes: result.recoveryCodes });
});
