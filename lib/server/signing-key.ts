// Signing access tokens. Node only: the private key never reaches the edge.
//
// AUTH_SIGNING_KEYS is a JSON array of private ES256 JWKs, each with a `kid`; the first signs.
// Its public halves must all be in AUTH_VERIFYING_KEYS, or the token it signs would be refused by
// the very middleware it is meant for: checked once, when the key is first loaded.
import "server-only";
import { importJWK, SignJWT, type CryptoKey, type JWK } from "jose";
import { z } from "zod";
import { ACCESS_TOKEN_TYP } from "@/lib/edge/access-token";
import { ACCESS_TOKEN_ALG, parseKeyList, parseVerifyingKeys, publicJwkSchema } from "@/lib/edge/verifying-keys";
import { ConfigError } from "@/lib/env";

const privateJwkSchema = publicJwkSchema.extend({ d: z.string() });

export type SigningSettings = {
  signingKeys: string;
  verifyingKeys: string;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
};

type SigningKey = { kid: string; key: CryptoKey };

let cache: { source: string; key: Promise<SigningKey> } | undefined;

function getSigningKey(settings: SigningSettings): Promise<SigningKey> {
  const source = `${settings.signingKeys}\n${settings.verifyingKeys}`;
  if (cache?.source !== source) cache = { source, key: importSigningKey(settings) };
  return cache.key;
}

async function importSigningKey({ signingKeys, verifyingKeys }: SigningSettings): Promise<SigningKey> {
  const keys = parseKeyList("AUTH_SIGNING_KEYS", "private", signingKeys, privateJwkSchema);
  const verifying = parseVerifyingKeys(verifyingKeys);
  for (const key of keys) {
    const match = verifying.find((v) => v.kid === key.kid);
    if (!match || match.x !== key.x || match.y !== key.y) {
      throw new ConfigError(
        `AUTH_VERIFYING_KEYS lacks the public half of signing key ${key.kid}: run \`npm run keys:public\` and use what it prints`,
      );
    }
  }
  const first = keys[0];
  return { kid: first.kid, key: (await importJWK(first as JWK, ACCESS_TOKEN_ALG)) as CryptoKey };
}

/**
 * `auth_time` and `amr` (RFC 9068 / RFC 8176) say when and how the person last proved who they are
 * in this session, so a service verifying Keycard's tokens through the JWKS can ask for a fresh
 * sign-in itself. They come from the session row: refreshing never makes a sign-in fresher.
 */
export async function signAccessToken(
  subject: { userId: string; sessionId: string; authenticatedAt?: Date; amr?: string[] },
  settings: SigningSettings,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const signing = await getSigningKey(settings);
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + settings.accessTokenTtlSeconds;
  const proof = subject.authenticatedAt ? { auth_time: Math.floor(subject.authenticatedAt.getTime() / 1000), amr: subject.amr ?? ["pwd"] } : {};
  const token = await new SignJWT({ sid: subject.sessionId, ...proof })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, typ: ACCESS_TOKEN_TYP, kid: signing.kid })
    .setSubject(subject.userId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(signing.key);
  return { token, expiresAt: new Date(exp * 1000) };
}
