// A real OpenID provider (oidc-provider, OpenID-certified) on this machine: what `npm start` offers
// a newcomer who has configured none, and what the browser tests sign in through. Never in
// production (scripts/start.mjs starts it only on a developer's machine).
//
// Its sign-in page takes any login and any password. The login is the person's subject there and,
// vouched for (email_verified: true), their address — unless it starts with "unverified:", which
// gives the same address unvouched for (a provider that lets anyone type any address) under
// another subject.
//
//   const provider = await startOpenIdProvider({ port, clients: [{ client_id, client_secret, redirect_uris }] });
import { generateKeyPairSync, randomBytes } from "node:crypto";

/** The claims the provider gives a login (its subject: oidc-provider's account id is the login). */
export function accountOf(login) {
  const unverified = login.startsWith("unverified:");
  const email = (unverified ? login.slice("unverified:".length) : login).trim().toLowerCase();
  return { claims: { sub: login, email, email_verified: !unverified, name: email.split("@")[0] } };
}

export async function startOpenIdProvider({ port, clients, host = "localhost" }) {
  // oidc-provider warns about Node 20 (it prefers 22) and about its quick-start pages; both are
  // expected here.
  const { default: Provider } = await import("oidc-provider");
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const issuer = `http://${host}:${port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({ ...c, grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic" })),
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid: randomBytes(6).toString("hex"), use: "sig", alg: "RS256" }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // The ID token carries the claims the scopes ask for (not only the userinfo endpoint).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => accountOf(id).claims }),
    // First-party clients: no consent screen (the login page is the interaction).
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => {
      ctx.type = "html";
      ctx.body = `<!doctype html><title>Error</title><h1>${String(out.error).replace(/[<>&]/g, "")}</h1><p>${String(out.error_description ?? "").replace(/[<>&]/g, "")}</p>`;
    },
  });
  provider.proxy = false;
  // Its sign-in page takes any login: it answers this machine only.
  const server = await new Promise((resolve, reject) => {
    const listening = provider.listen(port, host === "localhost" ? "127.0.0.1" : host, () => resolve(listening));
    listening.on("error", reject);
  });
  return { issuer, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
