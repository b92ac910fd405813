import { failWith, json } from "@/lib/edge/answer";
import { startAddingPasskey } from "@/lib/server/actions/passkeys";
import { withSession } from "@/lib/server/route";

// Options for navigator.credentials.create(): adding a passkey (a fresh sign-in first).
export const POST = withSession(async (_request, { actor }, ctx) => {
  const result = await startAddingPasskey(actor, ctx);
  if (!result.ok) return failWith(result.code);
  return json({ options: result.options });
});
