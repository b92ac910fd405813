import { answerFailure, answerRefusal, CONFIRM_FORM, operatorDone } from "@/lib/edge/answer";
import { fieldsFromForm, operatorNoInput } from "@/lib/edge/credentials";
import { readOptionalInput } from "@/lib/edge/read-input";
import { resendMail } from "@/lib/server/actions/operators";
import { operatorRoute } from "@/lib/server/route";

type Params = { params: Promise<{ id: string; mailId: string }> };

// A mail to the person that failed, sent once more.
export const { GET, POST, PUT, PATCH, DELETE } = operatorRoute<Params>({
  POST: async (request, operator, ctx, { params }) => {
    const { id: userId, mailId } = await params;
    const back = { page: `/admin/users/${encodeURIComponent(userId)}`, fragment: "mail" };
    const input = await readOptionalInput(request, operatorNoInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
    if (!input.ok) return answerFailure(input.mode, input.error, back);
    const result = await resendMail(operator, userId, mailId, ctx);
    if (!result.ok) return answerRefusal(input.mode, result, result.code === "reauthentication_required" ? CONFIRM_FORM : back);
    return operatorDone(request, userId, "mail_resent");
  },
});
