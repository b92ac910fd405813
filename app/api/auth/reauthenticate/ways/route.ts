import { json } from "@/lib/edge/answer";
import { canConfirmWithPasskey } from "@/lib/server/actions/passkeys";
import { connectedProviders, waysInOf } from "@/lib/server/actions/providers";
import { twoFactorStatus } from "@/lib/server/actions/two-factor";
import { withSession } from "@/lib/server/route";

// How this account can confirm it's you: its password or a provider connected to it (which asks
// the person to sign in there again) — each with the app's code when it is on (`appCode`) — or one
// of its passkeys.
export const GET = withSession(async (_request, { actor }, ctx) => {
  const [ways, passkey, providers, factor] = await Promise.all([waysInOf(actor, ctx), canConfirmWithPasskey(actor, ctx), connectedProviders(actor, ctx), twoFactorStatus(actor, ctx)]);
  const configured = new Set(ctx.config.providers.map((p) => p.id));
  const usable = providers.filter((p) => configured.has(p.provider));
  return json({ password: ways.password, appCode: factor.on, passkey, providers: [...new Map(usable.map((p) => [p.provider, { id: p.provider, name: p.name }])).values()] });
});
