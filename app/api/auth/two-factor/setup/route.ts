import { failWith, json } from "@/lib/edge/answer";
import { startTotpSetup } from "@/lib/server/actions/two-factor";
import { withSession } from "@/lib/server/route";

// A new authenticator-app secret (its QR code as SVG, and as text). JSON only: the setup page
// needs JavaScript to show what comes back (and the recovery codes, once).
export const POST = withSession(async (_request, { actor }, ctx) => {
  const result = await startTotpSetup(actor, ctx);
  if (!result.ok) return failWith(result.code);
  return json({ secret: result.secret, otpauthUrl: result.otpauthUrl, qrSvg: result.qrSvg });
});
