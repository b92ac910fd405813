import { accountDone, answerFailure, CONFIRM_FORM } from "@/lib/edge/answer";
import { apiError } from "@/lib/edge/errors";
import { inputMode } from "@/lib/edge/read-input";
import { removePassword } from "@/lib/server/actions/change-password";
import { withSession } from "@/lib/server/route";

// Removing the password, when a passkey or another provider signs the person in.
export const POST = withSession(async (request, { actor }, ctx) => {
  const result = await removePassword(actor, ctx);
  if (!result.ok) {
    const page = result.code === "reauthentication_required" ? CONFIRM_FORM : { page: "/account", fragment: "ways-section" };
    return answerFailure(inputMode(request), apiError(result.code), page);
  }
  return accountDone(request, "password_removed");
});
