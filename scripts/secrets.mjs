// The settings Keycard cannot run without, and how to make fresh ones. No secret has a default:
// `npm start` writes new ones to .env on a developer's first run; a production server refuses to
// start without them, or with an example value in their place (next.config.js).
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { localMailboxRefused, looksLikePlaceholder, providerSettings } from "./setting-rules.mjs";

export const SECRETS = {
  AUTH_SIGNING_KEYS: "JSON array of private ES256 JWKs with a kid; the first signs access tokens.",
  REFRESH_TOKEN_KEY: "32+ random bytes, base64url; derives each refresh token's successor (a ring: several, comma-separated, the current first).",
};

// Not a secret, but required and without a default: the public halves of AUTH_SIGNING_KEYS, the
// only keys the edge middleware gets.
export const VERIFYING_KEYS = {
  AUTH_VERIFYING_KEYS: "JSON array of the public halves of AUTH_SIGNING_KEYS (npm run keys:public prints it).",
};

const REQUIRED = { ...SECRETS, ...VERIFYING_KEYS };

/** A new ES256 private JWK whose kid says when it was made. */
export function generateSigningKey(now = new Date()) {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const kid = `${now.toISOString().slice(0, 10)}-${randomBytes(4).toString("hex")}`;
  return { ...privateKey.export({ format: "jwk" }), kid, alg: "ES256", use: "sig" };
}

/** The AUTH_VERIFYING_KEYS value for a list of private JWKs: the same keys without `d`. */
export function verifyingKeysFor(keys) {
  return JSON.stringify(keys.map(({ d: _private, ...publicPart }) => publicPart));
}

export function generateSecrets() {
  const keys = [generateSigningKey()];
  return {
    AUTH_SIGNING_KEYS: JSON.stringify(keys),
    AUTH_VERIFYING_KEYS: verifyingKeysFor(keys),
    REFRESH_TOKEN_KEY: randomBytes(32).toString("base64url"),
  };
}

export function missingSecrets(env) {
  return Object.keys(SECRETS).filter((name) => !env[name]);
}

/** Each required setting that is missing, or holds an example value: [{ name, problem }]. */
export function settingProblems(env) {
  const problems = [];
  for (const name of Object.keys(REQUIRED)) {
    if (!env[name]) problems.push({ name, problem: `is not set: ${REQUIRED[name]}` });
    else if (name in SECRETS && env[name].split(",").some((part) => looksLikePlaceholder(part.trim()))) {
      problems.push({ name, problem: "holds an example or placeholder value: generate a real one" });
    }
  }
  // Not secrets, and no defaults either where a real server runs: every link in a mail is built
  // from APP_ORIGIN, and mail must go somewhere. `npm start` on a developer's machine sets both
  // (localhost, and the local mailbox) before this check.
  if (!env.APP_ORIGIN) problems.push({ name: "APP_ORIGIN", problem: `is not set: ${PUBLIC_SETTINGS.APP_ORIGIN}` });
  if (!env.SMTP_URL && env.MAIL_LOCAL_MAILBOX !== "true") {
    problems.push({ name: "SMTP_URL", problem: `is not set: ${PUBLIC_SETTINGS.SMTP_URL}` });
  }
  problems.push(...providerSettings(env).problems);
  if (localMailboxRefused(env)) {
    problems.push({ name: "MAIL_LOCAL_MAILBOX", problem: "is true on a server people use (NODE_ENV=production, or APP_ORIGIN not this machine): the local mailbox shows every code and link at /dev/mailbox. Set SMTP_URL instead." });
  }
  return problems;
}

export const PUBLIC_SETTINGS = {
  APP_ORIGIN: "the address people use, such as https://login.example.com; links in mail are built from it.",
  SMTP_URL: "where mail goes, such as smtp://user:password@smtp.example.com:587.",
};

/**
 * What `npm start` adds on a developer's machine (never with NODE_ENV=production): links to
 * localhost, and mail kept in a local mailbox (/dev/mailbox) when no SMTP server is configured.
 */
export function localDefaults(env, port) {
  const defaults = {};
  if (!env.APP_ORIGIN) defaults.APP_ORIGIN = `http://localhost:${port}`;
  if (!env.SMTP_URL && !env.MAIL_LOCAL_MAILBOX) defaults.MAIL_LOCAL_MAILBOX = "true";
  return defaults;
}

export function refusalMessage(problems) {
  return [
    `Keycard will not start: ${problems.map((p) => p.name).join(" and ")} ${problems.length > 1 ? "are" : "is"} not usable.`,
    ...problems.map(({ name, problem }) => `  ${name} ${problem}`),
    "Set them in the environment (a secret store in production). On a development machine,",
    "`npm start` writes a .env with fresh ones.",
  ].join("\n");
}
