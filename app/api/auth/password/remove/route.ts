import { accountDone, answerFailure, answerRefusal, CONFIRM_FORM } from "@/lib/edge/answer";
import { removePasswordFromForm, removePasswordInput } from "@/lib/edge/credentials";
import { readInput } from "@/lib/edge/read-input";
import { removePassword } from "@/lib/server/actions/change-password";
import { withSession } from "@/lib/server/route";

const REMOVE_FORM = { page: "/account?form=remove-password", fragment: "password-section" };

// Removing the password, when a passkey or another provider signs the person in: the password
// itself is asked, as for a change.
export const POST = withSession(async (request, { actor }, ctx) => {
  const input = await readInput(request, removePasswordInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: removePasswordFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, REMOVE_FORM);
  const result = await removePassword(actor, input.data, ctx);
  if (!result.ok) return answerRefusal(input.mode, result, result.code === "reauthentication_required" ? CONFIRM_FORM : REMOVE_FORM, { wrong_password: "currentPassword" });
  return accountDone(request, "password_removed");
});
