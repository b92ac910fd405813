// The access-token key ring. Edge-safe: jose and Web Crypto only.
//
// AUTH_SIGNING_KEYS is a JSON array of private ES256 JWKs, each with a `kid`. The first key signs;
// every key verifies, so a new key can be put first while tokens signed by the old one live out
// their few minutes. Keys are imported once per isolate and cached by the configured value.
import { importJWK, type CryptoKey, type JWK } from "jose";
import { z } from "zod";

export const ACCESS_TOKEN_ALG = "ES256";

const jwkSchema = z.looseObject({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  kid: z.string().min(1),
  x: z.string(),
  y: z.string(),
  d: z.string(),
});

export type KeyRing = {
  signing: { kid: string; key: CryptoKey };
  verifying: Map<string, CryptoKey>;
};

let cache: { source: string; ring: Promise<KeyRing> } | undefined;

export function getKeyRing(source: string): Promise<KeyRing> {
  if (cache?.source !== source) cache = { source, ring: importKeyRing(source) };
  return cache.ring;
}

function parseKeys(source: string) {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch {
    throw new Error("AUTH_SIGNING_KEYS is not valid JSON (expected an array of private ES256 JWKs)");
  }
  const parsed = z.array(jwkSchema).min(1).safeParse(json);
  if (!parsed.success) {
    throw new Error("AUTH_SIGNING_KEYS must be a non-empty array of private ES256 (P-256) JWKs with a kid");
  }
  if (new Set(parsed.data.map((k) => k.kid)).size !== parsed.data.length) {
    throw new Error("AUTH_SIGNING_KEYS has two keys with the same kid");
  }
  return parsed.data;
}

/** The public half of every key, as a JWK Set another service can verify our tokens with. */
export function publicJwks(source: string): { keys: JWK[] } {
  return {
    keys: parseKeys(source).map(({ kty, crv, x, y, kid }) => ({ kty, crv, x, y, kid, alg: ACCESS_TOKEN_ALG, use: "sig" })),
  };
}

async function importKeyRing(source: string): Promise<KeyRing> {
  const keys = parseKeys(source);
  const verifying = new Map<string, CryptoKey>();
  let signing: KeyRing["signing"] | undefined;
  for (const jwk of keys) {
    const { d: _private, ...publicJwk } = jwk;
    verifying.set(jwk.kid, (await importJWK(publicJwk as JWK, ACCESS_TOKEN_ALG)) as CryptoKey);
    signing ??= { kid: jwk.kid, key: (await importJWK(jwk as JWK, ACCESS_TOKEN_ALG)) as CryptoKey };
  }
  return { signing: signing!, verifying };
}
