import { accountDone, answerFailure, CONFIRM_FORM } from "@/lib/edge/answer";
import { apiError } from "@/lib/edge/errors";
import { inputMode } from "@/lib/edge/read-input";
import { disconnectProvider } from "@/lib/server/actions/providers";
import { withSession } from "@/lib/server/route";

export const POST = withSession<{ params: Promise<{ id: string }> }>(async (request, { actor }, ctx, { params }) => {
  const result = await disconnectProvider(actor, { id: (await params).id }, ctx);
  if (!result.ok) {
    const page = result.code === "reauthentication_required" ? CONFIRM_FORM : { page: "/account", fragment: "ways-section" };
    return answerFailure(inputMode(request), apiError(result.code), page);
  }
  return accountDone(request, "provider_disconnected");
});
