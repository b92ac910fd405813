// The public keys that verify access tokens. Edge-safe: jose and Web Crypto only.
//
// AUTH_VERIFYING_KEYS is a JSON array of public ES256 JWKs, each with a `kid`: the public halves
// of AUTH_SIGNING_KEYS, which only the Node side reads (lib/server/signing-key.ts). A key with a
// private part is refused here, so the edge can never hold a key that signs. Keys are imported
// once per isolate and cached by the configured value.
import { importJWK, type CryptoKey, type JWK } from "jose";
import { z } from "zod";
import { ConfigError } from "@/lib/env";

export const ACCESS_TOKEN_ALG = "ES256";

export const publicJwkSchema = z.looseObject({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  kid: z.string().min(1),
  x: z.string(),
  y: z.string(),
});

export type PublicKey = z.output<typeof publicJwkSchema>;

/**
 * A setting holding a JSON array of ES256 JWKs, each with a distinct `kid`, checked against
 * `schema`. Throws ConfigError naming the setting and what it should hold.
 */
export function parseKeyList<S extends z.ZodType<{ kid: string }>>(name: string, kind: "public" | "private", source: string, schema: S): z.output<S>[] {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch {
    throw new ConfigError(`${name} is not valid JSON (expected an array of ${kind} ES256 JWKs)`);
  }
  const parsed = z.array(schema).min(1).safeParse(json);
  if (!parsed.success) throw new ConfigError(`${name} must be a non-empty array of ${kind} ES256 (P-256) JWKs with a kid`);
  if (new Set(parsed.data.map((k) => k.kid)).size !== parsed.data.length) throw new ConfigError(`${name} has two keys with the same kid`);
  return parsed.data;
}

export function parseVerifyingKeys(source: string): PublicKey[] {
  const keys = parseKeyList("AUTH_VERIFYING_KEYS", "public", source, publicJwkSchema);
  if (keys.some((key) => "d" in key)) {
    throw new ConfigError("AUTH_VERIFYING_KEYS must hold public keys only: one of them has a private part (d)");
  }
  return keys;
}

/** Every verifying key as a JWK Set another service can verify our tokens with. */
export function publicJwks(source: string): { keys: JWK[] } {
  return {
    keys: parseVerifyingKeys(source).map(({ kty, crv, x, y, kid }) => ({ kty, crv, x, y, kid, alg: ACCESS_TOKEN_ALG, use: "sig" })),
  };
}

let cache: { source: string; keys: Promise<Map<string, CryptoKey>> } | undefined;

/** kid → imported public key. */
export function getVerifyingKeys(source: string): Promise<Map<string, CryptoKey>> {
  if (cache?.source !== source) cache = { source, keys: importKeys(source) };
  return cache.keys;
}

async function importKeys(source: string): Promise<Map<string, CryptoKey>> {
  const keys = new Map<string, CryptoKey>();
  for (const { kty, crv, x, y, kid } of parseVerifyingKeys(source)) {
    keys.set(kid, (await importJWK({ kty, crv, x, y }, ACCESS_TOKEN_ALG)) as CryptoKey);
  }
  return keys;
}
