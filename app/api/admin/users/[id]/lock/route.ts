import { answerFailure, answerRefusal, CONFIRM_FORM, operatorDone } from "@/lib/edge/answer";
import { fieldsFromForm, operatorReasonInput } from "@/lib/edge/credentials";
import { readOptionalInput } from "@/lib/edge/read-input";
import { lockPerson } from "@/lib/server/actions/operators";
import { operatorRoute } from "@/lib/server/route";

type Params = { params: Promise<{ id: string }> };

// Locks the account: nobody signs in by any way, nobody resets it, every session ends at once.
export const { GET, POST, PUT, PATCH, DELETE } = operatorRoute<Params>({
  POST: async (request, operator, ctx, { params }) => {
    const userId = (await params).id;
    const back = { page: `/admin/users/${encodeURIComponent(userId)}`, fragment: "actions" };
    const input = await readOptionalInput(request, operatorReasonInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
    if (!input.ok) return answerFailure(input.mode, input.error, back);
    const result = await lockPerson(operator, userId, input.data, ctx);
    if (!result.ok) return answerRefusal(input.mode, result, result.code === "reauthentication_required" ? CONFIRM_FORM : back);
    return operatorDone(request, userId, "account_locked");
  },
});
