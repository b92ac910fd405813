// Signing in through another provider: the protocol's side, for an OpenID provider (discovery,
// the authorization request, the callback, the ID token) and for GitHub's OAuth app. Node only.
//
// oauth4webapi does the protocol (PKCE S256, `state`, RFC 9207 `iss`, the token request with the
// client's secret); jose verifies the ID token's signature against the provider's JWKS, as it
// verifies Keycard's own tokens, with issuer, audience, expiry and nonce (azp too, for several
// audiences). What comes out is only who the person is: nothing the provider issued is kept.
import "server-only";
import * as oauth from "oauth4webapi";
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { ProviderSettings } from "@/lib/env";
import { log } from "@/lib/server/log";

/** Every request to a provider gives up after this: a slow provider is an outage, not a hang. */
const TIMEOUT_MS = 5000;

/** Who the provider says the person is. `emailVerified` only when it vouches for the address. */
export type ProviderProfile = { subject: string; email: string | null; emailVerified: boolean; authTime: Date | null };

/** What can go wrong, as values: the person cancelled, the answer is not to be believed, or the provider could not be reached. */
export type ProviderFailure =
  | { ok: false; code: "provider_cancelled" }
  | { ok: false; code: "provider_refused"; why: string }
  | { ok: false; code: "provider_unreachable" };

export type AuthorizationRequest = { state: string; nonce: string; codeChallenge: string; redirectUri: string; reauthenticate: boolean };
export type CallbackCheck = { state: string; nonce: string; codeVerifier: string; redirectUri: string; reauthenticate: boolean };

const insecure = (url: string) => (url.startsWith("http://") ? { [oauth.allowInsecureRequests]: true } : {});
const client = (p: ProviderSettings): oauth.Client => ({ client_id: p.clientId });

// Discovery documents and key sets, per issuer, for the life of the process (a failed discovery is
// forgotten, so the next sign-in tries again).
const servers = new Map<string, Promise<oauth.AuthorizationServer>>();
const keySets = new Map<string, JWTVerifyGetKey>();

/**
 * The provider's metadata. Its issuer must be the configured one — except Microsoft Entra's
 * multi-tenant endpoints (`common`, `organizations`, `consumers`), whose metadata names a template,
 * `…/{tenantid}/v2.0`, that each ID token fills in with its own tenant.
 */
async function serverOf(p: ProviderSettings): Promise<oauth.AuthorizationServer> {
  if (p.kind === "github") {
    const base = p.githubUrl!;
    return { issuer: base, authorization_endpoint: `${base}/login/oauth/authorize`, token_endpoint: `${base}/login/oauth/access_token` };
  }
  let server = servers.get(p.issuer!);
  if (!server) {
    server = discover(p.issuer!);
    servers.set(p.issuer!, server);
    server.catch(() => servers.delete(p.issuer!));
  }
  return server;
}

async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  const response = await oauth.discoveryRequest(url, { signal: AbortSignal.timeout(TIMEOUT_MS), ...insecure(issuer) });
  if (isEntraMultiTenant(url)) {
    const metadata = (await response.json()) as oauth.AuthorizationServer;
    if (typeof metadata.issuer !== "string" || !metadata.issuer.includes("{tenantid}")) throw new Error(`${issuer}: not the multi-tenant metadata it should be`);
    return metadata;
  }
  return oauth.processDiscoveryResponse(url, response);
}

const ENTRA_MULTI_TENANT = /^\/(common|organizations|consumers)\/v2\.0\/?$/;
const isEntraMultiTenant = (url: URL) => url.hostname === "login.microsoftonline.com" && ENTRA_MULTI_TENANT.test(url.pathname);

/** Where to send the person: the provider's authorization endpoint with this attempt's parameters. */
export async function authorizationUrl(p: ProviderSettings, request: AuthorizationRequest): Promise<URL | ProviderFailure> {
  let server: oauth.AuthorizationServer;
  try {
    server = await serverOf(p);
  } catch (error) {
    // To the person, the provider could not be reached; to the operator, why (a wrong issuer
    // answers with metadata that names another one).
    log().warn({ provider: p.id, fault: error instanceof Error ? error.message : String(error) }, "provider discovery failed");
    return { ok: false, code: "provider_unreachable" };
  }
  const url = new URL(server.authorization_endpoint!);
  const params: Record<string, string> = {
    client_id: p.clientId,
    redirect_uri: request.redirectUri,
    response_type: "code",
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: "S256",
  };
  if (p.kind === "oidc") {
    Object.assign(params, { scope: "openid email profile", nonce: request.nonce });
    // Confirming it's you: the provider must ask again, and say when it did (auth_time).
    // A sign-in asks for auth_time too (a max_age makes it required), for how fresh it is here:
    // the provider's own sign-in may be weeks old. 30 days: the provider asks again only then.
    Object.assign(params, request.reauthenticate ? { prompt: "login", max_age: "0" } : { max_age: String(SIGN_IN_MAX_AGE_SECONDS) });
  } else {
    Object.assign(params, { scope: "read:user user:email", allow_signup: "true" });
  }
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

/** The oldest sign-in at the provider a sign-in here accepts without asking the provider to ask again. */
export const SIGN_IN_MAX_AGE_SECONDS = 30 * 24 * 3600;

/** How recent a provider's sign-in must be to confirm it's you. */
export const REAUTH_WINDOW_SECONDS = 300;

/** The callback: the answer checked, the code exchanged, the person named. */
export async function finishAtProvider(p: ProviderSettings, callback: URL, check: CallbackCheck): Promise<({ ok: true } & ProviderProfile) | ProviderFailure> {
  try {
    const server = await serverOf(p);
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(server, client(p), callback, check.state);
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError) {
        return error.error === "access_denied" ? { ok: false, code: "provider_cancelled" } : { ok: false, code: "provider_refused", why: `the provider answered ${String(error.error).slice(0, 64)}` };
      }
      return { ok: false, code: "provider_refused", why: reasonOf(error) };
    }
    const response = await oauth.authorizationCodeGrantRequest(server, client(p), oauth.ClientSecretBasic(p.clientSecret), params, check.redirectUri, check.codeVerifier, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      ...insecure(server.token_endpoint!),
    });
    const profile = p.kind === "github" ? await githubProfile(p, server, response) : await openIdProfile(p, server, response, check);
    return profile.ok ? usable(profile) : profile;
  } catch (error) {
    if (isUnreachable(error)) return { ok: false, code: "provider_unreachable" };
    return { ok: false, code: "provider_refused", why: reasonOf(error) };
  }
}

async function openIdProfile(p: ProviderSettings, server: oauth.AuthorizationServer, response: Response, check: CallbackCheck): Promise<({ ok: true } & ProviderProfile) | ProviderFailure> {
  // Entra's multi-tenant metadata names a template: this token's issuer is its tenant's.
  const issued = server.issuer.includes("{tenantid}") ? await tenantIssuer(server, response) : server.issuer;
  if (!issued) return { ok: false, code: "provider_refused", why: "the ID token names no tenant" };
  const forToken = { ...server, issuer: issued };
  const tokens = await oauth.processAuthorizationCodeResponse(forToken, client(p), response, {
    expectedNonce: check.nonce,
    requireIdToken: true,
    ...(check.reauthenticate ? { maxAge: REAUTH_WINDOW_SECONDS } : {}),
  });
  // The signature, with the provider's own keys: jose, as for Keycard's tokens.
  const { payload } = await jwtVerify(tokens.id_token!, keySetOf(server), {
    issuer: issued,
    audience: p.clientId,
    algorithms: server.id_token_signing_alg_values_supported?.filter((a) => a !== "none") ?? ["RS256", "ES256", "PS256", "EdDSA"],
    requiredClaims: ["sub", "exp", "iat"],
  });
  if (payload.nonce !== check.nonce) return { ok: false, code: "provider_refused", why: "the ID token's nonce is not this sign-in's" };
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== p.clientId) return { ok: false, code: "provider_refused", why: "the ID token was issued to another party (azp)" };
  const email = typeof payload.email === "string" ? payload.email.trim().toLowerCase() : null;
  return {
    ok: true,
    subject: payload.sub!,
    email,
    // Only an explicit true: Entra, for one, sends no email_verified, and its email is not proved.
    emailVerified: email !== null && payload.email_verified === true,
    authTime: typeof payload.auth_time === "number" ? new Date(payload.auth_time * 1000) : null,
  };
}

/** The tenant-specific issuer an Entra multi-tenant ID token claims, if its `tid` is a tenant id. */
async function tenantIssuer(server: oauth.AuthorizationServer, response: Response): Promise<string | null> {
  const body = (await response.clone().json().catch(() => null)) as { id_token?: unknown } | null;
  if (typeof body?.id_token !== "string") return null;
  const tid = decodeJwt(body.id_token).tid;
  return typeof tid === "string" && /^[0-9a-f-]{36}$/i.test(tid) ? server.issuer.replace("{tenantid}", tid) : null;
}

function keySetOf(server: oauth.AuthorizationServer): JWTVerifyGetKey {
  const uri = server.jwks_uri!;
  let keys = keySets.get(uri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(uri), { timeoutDuration: TIMEOUT_MS });
    keySets.set(uri, keys);
  }
  return keys;
}

/** GitHub's OAuth app: who is signed in from /user, the address only from the verified primary in /user/emails. */
async function githubProfile(p: ProviderSettings, server: oauth.AuthorizationServer, response: Response): Promise<({ ok: true } & ProviderProfile) | ProviderFailure> {
  const tokens = await oauth.processAuthorizationCodeResponse(server, client(p), response);
  const api = p.githubUrl === "https://github.com" ? "https://api.github.com" : `${p.githubUrl}/api/v3`;
  const get = async (path: string) => {
    const answer = await fetch(`${api}${path}`, {
      headers: { authorization: `Bearer ${tokens.access_token}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28", "user-agent": "Keycard" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!answer.ok) throw new ProviderAnswer(`GitHub's ${path} answered ${answer.status}`);
    return answer.json();
  };
  const user = (await get("/user")) as { id?: unknown };
  const emails = (await get("/user/emails")) as { email?: unknown; primary?: unknown; verified?: unknown }[];
  if (typeof user.id !== "number" && typeof user.id !== "string") return { ok: false, code: "provider_refused", why: "GitHub named no user" };
  const primary = Array.isArray(emails) ? emails.find((e) => e.primary === true && e.verified === true && typeof e.email === "string") : undefined;
  return { ok: true, subject: String(user.id), email: primary ? String(primary.email).trim().toLowerCase() : null, emailVerified: !!primary, authTime: null };
}

/** An answer from the provider that cannot be used. */
class ProviderAnswer extends Error {}

function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "TimeoutError" || error.name === "AbortError") return true;
  const cause = (error as { cause?: { code?: string; name?: string } }).cause;
  if (cause && (cause.name === "TimeoutError" || /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|UND_ERR_)/.test(cause.code ?? ""))) return true;
  // fetch's own network failure; a provider answering 5xx is down too.
  if (error.message === "fetch failed") return true;
  return error instanceof oauth.ResponseBodyError ? error.status >= 500 : /answered 5\d\d/.test(error.message);
}

function reasonOf(error: unknown): string {
  if (error instanceof oauth.ResponseBodyError) return `the provider answered ${error.error}`;
  if (error instanceof Error) return error.message.slice(0, 200);
  return String(error).slice(0, 200);
}

/** PKCE, state and nonce for a new attempt. */
export async function newAttemptSecrets(): Promise<{ state: string; nonce: string; codeVerifier: string; codeChallenge: string }> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  return { state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce(), codeVerifier, codeChallenge: await oauth.calculatePKCECodeChallenge(codeVerifier) };
}

/**
 * What is stored of a provider's answer must fit and print: a subject of 1–255 visible characters
 * (else refused), an address that looks like one, at most 254 characters (else none).
 */
function usable(profile: ProviderProfile & { ok: true }): (ProviderProfile & { ok: true }) | ProviderFailure {
  if (!/^[\x21-\x7e]{1,255}$/.test(profile.subject)) return { ok: false, code: "provider_refused", why: "the provider's identifier for the person is not usable" };
  const email = profile.email && profile.email.length <= 254 && /^[^\s@\x00-\x1f]+@[^\s@\x00-\x1f]+$/.test(profile.email) ? profile.email : null;
  return { ...profile, email, emailVerified: email !== null && profile.emailVerified };
}
