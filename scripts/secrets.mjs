// The secrets Keycard cannot run without, and how to make fresh ones. No secret has a default:
// `npm start` writes new ones to .env on a developer's first run; a production server refuses to
// start without them (next.config.js).
import { generateKeyPairSync, randomBytes } from "node:crypto";

export const SECRETS = {
  AUTH_SIGNING_KEYS: "JSON array of private ES256 JWKs with a kid; the first signs access tokens, all verify.",
  REFRESH_TOKEN_KEY: "32+ random bytes, base64url; derives each refresh token's successor.",
};

export function missingSecrets(env) {
  return Object.keys(SECRETS).filter((name) => !env[name]);
}

/** A new ES256 private JWK whose kid says when it was made. */
export function generateSigningKey(now = new Date()) {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const kid = `${now.toISOString().slice(0, 10)}-${randomBytes(4).toString("hex")}`;
  return { ...privateKey.export({ format: "jwk" }), kid, alg: "ES256", use: "sig" };
}

export function generateSecrets() {
  return {
    AUTH_SIGNING_KEYS: JSON.stringify([generateSigningKey()]),
    REFRESH_TOKEN_KEY: randomBytes(32).toString("base64url"),
  };
}

export function refusalMessage(missing) {
  return [
    `Keycard will not start: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set.`,
    ...missing.map((name) => `  ${name}: ${SECRETS[name]}`),
    "Set them in the environment (a secret store in production). On a development machine,",
    "`npm start` writes a .env with fresh ones.",
  ].join("\n");
}
