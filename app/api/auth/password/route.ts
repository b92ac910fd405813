import { accountDone, answerFailure, answerRefusal, CONFIRM_FORM, weakPasswordError } from "@/lib/edge/answer";
import { changePasswordFromForm, changePasswordInput } from "@/lib/edge/credentials";
import { readInput } from "@/lib/edge/read-input";
import { changePassword } from "@/lib/server/actions/change-password";
import { withSession } from "@/lib/server/route";

const ACCOUNT_FORM = { page: "/account", fragment: "password" };

export const POST = withSession(async (request, { actor }, ctx) => {
  const input = await readInput(request, changePasswordInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: changePasswordFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, ACCOUNT_FORM);

  const result = await changePassword(actor, input.data, ctx);
  if (!result.ok && result.code === "password_too_weak") return answerFailure(input.mode, weakPasswordError(input.mode, result.why, "newPassword"), ACCOUNT_FORM);
  if (!result.ok) return answerRefusal(input.mode, result, result.code === "reauthentication_required" ? CONFIRM_FORM : ACCOUNT_FORM, { wrong_password: "currentPassword" });
  return accountDone(request, "password_changed");
});
