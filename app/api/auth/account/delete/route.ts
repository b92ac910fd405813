import { answerFailure, answerRefusal, noContent, seeOther, withoutTokenCookies } from "@/lib/edge/answer";
import { deleteAccountInput, fieldsFromForm } from "@/lib/edge/credentials";
import { readInput } from "@/lib/edge/read-input";
import { deleteAccount } from "@/lib/server/actions/leave";
import { withSession } from "@/lib/server/route";

const FORM = { page: "/account?form=danger", fragment: "danger-section" };

export const POST = withSession(async (request, { actor }, ctx) => {
  const input = await readInput(request, deleteAccountInput, { maxBytes: ctx.config.maxBodyBytes, formToObject: fieldsFromForm });
  if (!input.ok) return answerFailure(input.mode, input.error, FORM);
  const result = await deleteAccount(actor, input.data, ctx);
  if (!result.ok) {
    const page = result.code === "reauthentication_required" ? { ...FORM, fragment: "confirm-section" } : FORM;
    return answerRefusal(input.mode, result, page, { confirmation_mismatch: "confirm" });
  }
  // The browser ends signed out: its session went with the account.
  return withoutTokenCookies(input.mode === "form" ? seeOther("/login?deleted=1") : noContent(), ctx.config);
});
