// Rules about settings that both the app and its start scripts apply. Pure: used by lib/env.ts
// (which also runs on the edge) and by scripts/secrets.mjs at start.

// Values that look like an example or a placeholder rather than a secret someone generated.

const WORDS = /example|do-not-use|change-?me|placeholder|replace-?me|your[-_]?secret|^secret$|…|\.\.\./i;

/** True for `.env.example`'s values and anything shaped like them (or with almost no variety). */
export function looksLikePlaceholder(value) {
  if (typeof value !== "string") return false;
  if (WORDS.test(value)) return true;
  return new Set(value).size < 8;
}

// Where the local mailbox may run.
// The local mailbox keeps mail on the machine and shows every code and link at /dev/mailbox: a
// developer's machine only. `next start` always runs with NODE_ENV=production, so the server
// cannot tell a developer's `npm start` from a deployment by that alone: `npm start` and `npm run
// dev` set DEVELOPMENT_START when NODE_ENV was not production where they were run. Never set it
// by hand.
export const DEVELOPMENT_START = "KEYCARD_DEVELOPMENT_START";

/**
 * The local mailbox asked for where it must not be: production (not started as a developer's
 * machine), or links that point anywhere but this machine — a server people reach by name, even
 * one started without NODE_ENV=production behind a proxy, would show every code to them.
 */
export function localMailboxRefused(env) {
  if (env.MAIL_LOCAL_MAILBOX !== "true") return false;
  if (env.NODE_ENV === "production" && env[DEVELOPMENT_START] !== "true") return true;
  return !!env.APP_ORIGIN && !isThisMachine(env.APP_ORIGIN);
}

function isThisMachine(origin) {
  try {
    return ["localhost", "127.0.0.1", "[::1]"].includes(new URL(origin).hostname);
  } catch {
    return false;
  }
}

// Other providers to sign in with (AUTH_PROVIDERS). Each id names its settings:
// AUTH_PROVIDER_<ID>_ISSUER (an OpenID provider's issuer; not for github), _CLIENT_ID,
// _CLIENT_SECRET, _NAME (the button's words). The id `github` is GitHub's OAuth app; its optional
// AUTH_PROVIDER_GITHUB_URL points at a GitHub Enterprise Server instead of github.com.

const KNOWN_NAMES = { google: "Google", github: "GitHub", microsoft: "Microsoft", gitlab: "GitLab", okta: "Okta", auth0: "Auth0", keycloak: "Keycloak", dex: "Dex", apple: "Apple" };

/** The providers `env` configures, in the order of the buttons, and what is wrong with them: { providers, problems }. */
export function providerSettings(env) {
  const ids = (env.AUTH_PROVIDERS ?? "").split(",").map((id) => id.trim()).filter(Boolean);
  const problems = [];
  const providers = [];
  // A developer's machine may use a provider on http://localhost; a server people use may not.
  const deployed = env.NODE_ENV === "production" && env[DEVELOPMENT_START] !== "true";
  const seen = new Set();
  for (const id of ids) {
    const prefix = `AUTH_PROVIDER_${id.toUpperCase().replace(/-/g, "_")}`;
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(id)) {
      problems.push({ name: "AUTH_PROVIDERS", problem: `names "${id}": an id is lower-case letters, digits and dashes, starting with a letter` });
      continue;
    }
    if (seen.has(id)) {
      problems.push({ name: "AUTH_PROVIDERS", problem: `names "${id}" twice` });
      continue;
    }
    seen.add(id);
    const kind = id === "github" ? "github" : "oidc";
    const setting = (suffix) => env[`${prefix}_${suffix}`]?.trim() || undefined;
    const clientId = setting("CLIENT_ID");
    const clientSecret = setting("CLIENT_SECRET");
    const issuer = setting("ISSUER");
    const githubUrl = setting("URL");
    if (!clientId) problems.push({ name: `${prefix}_CLIENT_ID`, problem: `is not set: the client id the provider gave this app (AUTH_PROVIDERS names ${id})` });
    if (!clientSecret) problems.push({ name: `${prefix}_CLIENT_SECRET`, problem: `is not set: the client secret the provider gave this app (AUTH_PROVIDERS names ${id})` });
    else if (looksLikePlaceholder(clientSecret)) problems.push({ name: `${prefix}_CLIENT_SECRET`, problem: "holds an example or placeholder value" });
    let base = kind === "github" ? githubUrl ?? "https://github.com" : issuer;
    if (kind === "oidc" && !issuer) problems.push({ name: `${prefix}_ISSUER`, problem: "is not set: the provider's issuer URL (its discovery document is read from there), such as https://accounts.google.com" });
    if (base) {
      const refused = issuerProblem(base, deployed);
      if (refused) problems.push({ name: kind === "github" ? `${prefix}_URL` : `${prefix}_ISSUER`, problem: refused });
      base = base.replace(/\/$/, "");
    }
    providers.push({ id, kind, name: setting("NAME") ?? KNOWN_NAMES[id] ?? id.charAt(0).toUpperCase() + id.slice(1), issuer: kind === "oidc" ? base : undefined, githubUrl: kind === "github" ? base : undefined, clientId, clientSecret });
  }
  return { providers, problems };
}

function issuerProblem(value, deployed) {
  let url;
  try {
    url = new URL(value);
  } catch {
    return `is not a URL: ${value}`;
  }
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && !deployed && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) return null;
  return deployed ? "must be https:// on a server people use" : "must be https:// (http:// only on localhost, outside production)";
}
