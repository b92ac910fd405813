// The protocol against a real OpenID provider (oidc-provider, started here on a free port): the
// authorization request, the callback's checks, the code exchange, the ID token verified with jose.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { ProviderSettings } from "@/lib/env";
import { signInAtProvider } from "@/lib/testing/provider-browser";
import { freePort } from "@/scripts/free-port.mjs";
import { startOpenIdProvider } from "@/scripts/oidc-provider.mjs";
import { startGitHubStandIn } from "@/scripts/github-stand-in.mjs";
import { authorizationUrl, finishAtProvider, newAttemptSecrets } from "./protocol";

const redirectUri = "http://localhost:3999/api/auth/oauth/corp/callback";
let provider: { issuer: string; close: () => Promise<void> };
let other: { issuer: string; close: () => Promise<void> };
let corp: ProviderSettings;

before(async () => {
  const clients = [
    { client_id: "keycard", client_secret: "keycard-test-secret-0123456789", redirect_uris: [redirectUri] },
    { client_id: "someone-else", client_secret: "someone-else-secret-0123456789", redirect_uris: [redirectUri] },
  ];
  provider = await startOpenIdProvider({ port: await freePort(), clients });
  other = await startOpenIdProvider({ port: await freePort(), clients });
  corp = { id: "corp", kind: "oidc", name: "Corp", issuer: provider.issuer, clientId: "keycard", clientSecret: "keycard-test-secret-0123456789" };
});
after(async () => {
  await provider.close();
  await other.close();
});

async function signIn(settings: ProviderSettings, login: string, change: (callback: URL) => URL = (u) => u) {
  const secrets = await newAttemptSecrets();
  const url = await authorizationUrl(settings, { ...secrets, redirectUri, reauthenticate: false });
  assert.ok(url instanceof URL);
  const callback = change(await signInAtProvider(url, login));
  return { secrets, callback, finish: (check = {}) => finishAtProvider(settings, callback, { ...secrets, redirectUri, reauthenticate: false, ...check }) };
}

it("a sign-in at a real provider: PKCE S256, state and nonce sent; the ID token verified; who the person is comes back", async () => {
  const { secrets, finish } = await signIn(corp, "ada@example.com");
  const url = await authorizationUrl(corp, { ...secrets, redirectUri, reauthenticate: false });
  assert.ok(url instanceof URL);
  assert.equal(url.searchParams.get("code_challenge_method"), "S256");
  assert.equal(url.searchParams.get("state"), secrets.state);
  assert.equal(url.searchParams.get("nonce"), secrets.nonce);
  const profile = await finish();
  assert.ok(profile.ok, JSON.stringify(profile));
  assert.equal(profile.email, "ada@example.com");
  assert.equal(profile.emailVerified, true);
  assert.equal(profile.subject, "ada@example.com", "the local provider's subject is the login");
});

it("an address the provider does not vouch for comes back as not proved", async () => {
  const profile = await (await signIn(corp, "unverified:ada@example.com")).finish();
  assert.ok(profile.ok);
  assert.equal(profile.emailVerified, false);
});

it("a state that is not this attempt's, a nonce that is not, and a code used twice are refused", async () => {
  const wrongState = await (await signIn(corp, "bob@example.com")).finish({ state: "x".repeat(43) });
  assert.equal(!wrongState.ok && wrongState.code, "provider_refused");
  const wrongNonce = await (await signIn(corp, "bob@example.com")).finish({ nonce: "y".repeat(43) });
  assert.equal(!wrongNonce.ok && wrongNonce.code, "provider_refused");
  const once = await signIn(corp, "bob@example.com");
  assert.ok((await once.finish()).ok);
  const replayed = await once.finish();
  assert.equal(!replayed.ok && replayed.code, "provider_refused", "the provider refuses a code used already");
});

it("a callback from another issuer, or a code issued to another client, is refused", async () => {
  // The code and iss of another provider, presented as this one's.
  const elsewhere = await signIn({ ...corp, issuer: other.issuer }, "eve@example.com");
  const mixedUp = await finishAtProvider(corp, elsewhere.callback, { ...elsewhere.secrets, redirectUri, reauthenticate: false });
  assert.equal(!mixedUp.ok && mixedUp.code, "provider_refused");
  // A code issued to another client of the same provider.
  const theirs = await signIn({ ...corp, clientId: "someone-else", clientSecret: "someone-else-secret-0123456789" }, "eve@example.com");
  const stolen = await finishAtProvider(corp, theirs.callback, { ...theirs.secrets, redirectUri, reauthenticate: false });
  assert.equal(!stolen.ok && stolen.code, "provider_refused");
});

it("a cancelled consent comes back as cancelled; a provider that does not answer, as unreachable", async () => {
  const secrets = await newAttemptSecrets();
  const cancelled = new URL(`${redirectUri}?error=access_denied&state=${secrets.state}&iss=${encodeURIComponent(provider.issuer)}`);
  const answer = await finishAtProvider(corp, cancelled, { ...secrets, redirectUri, reauthenticate: false });
  assert.equal(!answer.ok && answer.code, "provider_cancelled");
  const down = { ...corp, issuer: `http://localhost:${await freePort()}` };
  const url = await authorizationUrl(down, { ...secrets, redirectUri, reauthenticate: false });
  assert.deepEqual(url, { ok: false, code: "provider_unreachable" });
});

it("GitHub (its four endpoints, as a GitHub Enterprise Server answers them): the id from /user, the address only from the verified primary", async () => {
  const stand = await startGitHubStandIn({ port: await freePort(), clientId: "gh-client", clientSecret: "gh-secret-0123456789abcdef" });
  try {
    const github: ProviderSettings = { id: "github", kind: "github", name: "GitHub", githubUrl: stand.url, clientId: "gh-client", clientSecret: "gh-secret-0123456789abcdef" };
    const profile = await (await signIn(github, "grace@example.com")).finish();
    assert.ok(profile.ok, JSON.stringify(profile));
    assert.equal(profile.email, "grace@example.com");
    assert.equal(profile.emailVerified, true);
    assert.match(profile.subject, /^\d+$/);
    const unverified = await (await signIn(github, "unverified:grace@example.com")).finish();
    assert.ok(unverified.ok);
    assert.equal(unverified.email, null, "no verified primary: no address at all");
    const wrongVerifier = await (await signIn(github, "grace@example.com")).finish({ codeVerifier: "z".repeat(43) });
    assert.equal(!wrongVerifier.ok && wrongVerifier.code, "provider_refused", "PKCE: another verifier gets no token");
  } finally {
    await stand.close();
  }
});
