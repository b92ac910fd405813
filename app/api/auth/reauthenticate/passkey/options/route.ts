import { answerFailure, answerRefusal, json } from "@/lib/edge/answer";
import { apiError } from "@/lib/edge/errors";
import { startConfirmingWithPasskey } from "@/lib/server/actions/passkeys";
import { withSession } from "@/lib/server/route";

// Options for navigator.credentials.get() with this account's passkeys, to confirm it's you.
export const POST = withSession(async (_request, { actor }, ctx) => {
  const started = await startConfirmingWithPasskey(actor, ctx);
  if (!started.ok && started.code === "passkey_not_found") {
    return answerFailure("json", apiError("passkey_not_found", { message: "There is no passkey on your account." }), { page: "/account" });
  }
  if (!started.ok) return answerRefusal("json", started, { page: "/account" });
  return json({ options: started.options });
});
