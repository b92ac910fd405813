import { accountDone, answerFailure, CONFIRM_FORM } from "@/lib/edge/answer";
import { apiError } from "@/lib/edge/errors";
import { inputMode } from "@/lib/edge/read-input";
import { removeOwnPasskey } from "@/lib/server/actions/passkeys";
import { withSession } from "@/lib/server/route";

export const POST = withSession<{ params: Promise<{ id: string }> }>(async (request, { actor }, ctx, { params }) => {
  const result = await removeOwnPasskey(actor, { id: (await params).id }, ctx);
  if (!result.ok) {
    const page = result.code === "reauthentication_required" ? CONFIRM_FORM : { page: "/account", fragment: "passkeys-section" };
    return answerFailure(inputMode(request), apiError(result.code), page);
  }
  return accountDone(request, "passkey_removed");
});
