import { answerFailure, answerRefusal, CONFIRM_FORM, operatorDone } from "@/lib/edge/answer";
import { fieldsFromForm, operatorReasonInput } from "@/lib/edge/credentials";
import { readOptionalInput } from "@/lib/edge/read-input";
import { removeSecondFactor } from "@/lib/server/actions/operators";
import { operatorRoute } from "@/lib/server/route";

type Params = { params: Promise<{ id: string }> };

// Removes the app, its recovery codes and the passkeys, after the person proved who they are out of band (reason: how).
export const { GET, POST, PUT, PATCH, DELETE } = operatorRoute<Params>({
  POST: async (request, operator, ctx, { params }) => {
    const userId = (await params).id;
    const back = { page: `/admin/users/${encodeURIComponent(userId)}`, fragment: "actions" };
    const input = await readOptionalInput(request, operatorReasonInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
    if (!input.ok) return answerFailure(input.mode, input.error, back);
    const result = await removeSecondFactor(operator, userId, input.data, ctx);
    if (!result.ok) return answerRefusal(input.mode, result, result.code === "reauthentication_required" ? CONFIRM_FORM : back);
    return operatorDone(request, userId, "second_factor_removed");
  },
});
