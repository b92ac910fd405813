import { failWith, json } from "@/lib/edge/answer";
import { regenerateRecoveryCodes } from "@/lib/server/actions/two-factor";
import { withSession } from "@/lib/server/route";

// Ten new recovery codes, shown once; the old ones stop working.
export const POST = withSession(async (_request, { actor }, ctx) => {
  const result = await regenerateRecoveryCodes(actor, ctx);
  if (!result.ok) return failWith(result.code);
  return json({ recoveryCodes: result.recoveryCodes });
});
