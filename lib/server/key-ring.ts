// The REFRESH_TOKEN_KEY ring: the current key makes everything new, every key of the ring is
// accepted. Node only. Used for what must be readable again after the key changes: refresh-token
// successors, the HMACs of mailed secrets and recovery codes, sealed authenticator keys.
//
// A changed key does not sign anyone out or lock anyone out: add the new key (accepted first,
// then current: npm run refresh-key:*), re-seal the authenticator keys, and retire the old key
// once nothing made with it is still in use (docs/deploying.md).
import "server-only";
import { createHash } from "node:crypto";

export type KeyRing = { refreshTokenKey: string; refreshTokenKeys: string[] };

/** A key's public name: 8 characters of a hash of it, stored beside what it made. */
export function keyId(secret: string): string {
  return createHash("sha256").update(`keycard:key-id:${secret}`).digest("base64url").slice(0, 8);
}

/** The ring's keys, the current one first (a ring given as one key is a ring of one). */
export function ringKeys(ring: KeyRing): string[] {
  return ring.refreshTokenKeys.length > 0 ? ring.refreshTokenKeys : [ring.refreshTokenKey];
}
