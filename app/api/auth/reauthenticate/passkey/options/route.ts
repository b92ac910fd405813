import { json } from "@/lib/edge/answer";
import { startConfirmingWithPasskey } from "@/lib/server/actions/passkeys";
import { withSession } from "@/lib/server/route";

// Options for navigator.credentials.get() with this account's passkeys, to confirm it's you; null
// options when the account has none (the prompt then offers the password only).
export const POST = withSession(async (_request, { actor }, ctx) => {
  return json(await startConfirmingWithPasskey(actor, ctx));
});
