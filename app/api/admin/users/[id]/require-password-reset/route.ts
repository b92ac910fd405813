import { answerFailure, answerRefusal, CONFIRM_FORM, operatorDone } from "@/lib/edge/answer";
import { fieldsFromForm, operatorNoInput } from "@/lib/edge/credentials";
import { readOptionalInput } from "@/lib/edge/read-input";
import { requirePasswordReset } from "@/lib/server/actions/operators";
import { operatorRoute } from "@/lib/server/route";

type Params = { params: Promise<{ id: string }> };

// The person's password stops working; a link to choose a new one is mailed.
export const { GET, POST, PUT, PATCH, DELETE } = operatorRoute<Params>({
  POST: async (request, operator, ctx, { params }) => {
    const userId = (await params).id;
    const back = { page: `/admin/users/${encodeURIComponent(userId)}`, fragment: "actions" };
    const input = await readOptionalInput(request, operatorNoInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
    if (!input.ok) return answerFailure(input.mode, input.error, back);
    const result = await requirePasswordReset(operator, userId, ctx);
    if (!result.ok) return answerRefusal(input.mode, result, result.code === "reauthentication_required" ? CONFIRM_FORM : back);
    return operatorDone(request, userId, "password_reset_required");
  },
});
